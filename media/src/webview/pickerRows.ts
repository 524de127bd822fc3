/** What the model picker offers for each catalogue entry. Pure functions, unit-tested in plain Node. */
import type { CatalogueItemView, ModelPickerView, StudioDtype } from '../../../src/shared/studioProtocol';
import type { StringKey } from '../../../src/shared/studioUiStrings';

export interface PickerRow {
  /** The pick button is off: the current entry, or a dtype this release cannot download and no local copy. */
  disabled: boolean;
  /** Why it is off when it is not simply the current one. */
  reason?: { key: StringKey; args: string[] };
}

/** What the picker offers for one entry with the configured dtype. */
export function pickerRow(item: CatalogueItemView, dtype: StudioDtype): PickerRow {
  if (item.current) return { disabled: true };
  if (!item.local && !item.verifiedDtypes.includes(dtype)) {
    return item.verifiedDtypes.length > 0
      ? { disabled: true, reason: { key: 'picker.noDigest', args: [dtype, item.verifiedDtypes.join(', ')] } }
      : { disabled: true, reason: { key: 'picker.noDigestAny', args: [dtype] } };
  }
  return { disabled: false };
}

/** A download size as the CLI's `minilm models` prints it: decimal MB, `~` when partly the hub's rounded figure. */
export function downloadSizeText(size: { bytes: number; exact: boolean }): string {
  return `${size.exact ? '' : '~'}${(size.bytes / 1e6).toFixed(1)} MB`;
}

/** The current choice when it is not a catalogue entry (a hub repository or a folder), else undefined. */
export function otherModel(view: ModelPickerView): string | undefined {
  return view.entries.some((e) => e.current) ? undefined : view.setting || undefined;
}
