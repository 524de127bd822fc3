import type { CatalogueItemView } from '../../../src/shared/studioProtocol';
import { h, icon } from './dom';
import type { TabContext } from './context';
import { OTHER_MODEL, type StudioState } from './studioState';

/**
 * "Compare with": the second model of the Similarity and Examples tabs. One choice in the state, shown in both tabs:
 * none, a catalogue entry, or another model typed as the Model tab's "Use another model…" takes it (owner/name[@revision]
 * or a folder). The host checks the name as it checks `minilm.model`; choosing never downloads by itself.
 */
export function createCompareChoice(
  ctx: TabContext,
  idPrefix: string,
): { element: HTMLElement; render(state: StudioState, previous: StudioState | undefined): void } {
  const select = h('vscode-single-select', {
    id: `${idPrefix}-compare-select`,
    class: 'compare-select',
    'aria-label': ctx.t('compare.with'),
  }) as unknown as HTMLElement & { value: string };
  const other = h('vscode-textfield', {
    id: `${idPrefix}-compare-other`,
    class: 'other-field',
    placeholder: ctx.t('picker.otherPlaceholder'),
    'aria-label': ctx.t('compare.other'),
    hidden: true,
  }) as unknown as HTMLElement & { value: string };
  other.value = ctx.state().compare.other;

  // Requests for the model chosen before would answer for the wrong one: stop them.
  const stopComparisons = () => {
    ctx.cancel('similarityCompare');
    ctx.cancel('matrixCompare');
  };
  select.addEventListener('change', () => {
    if (select.value === ctx.state().compare.choice) return;
    stopComparisons();
    ctx.dispatch({ type: 'compareChoice', choice: select.value });
  });
  other.addEventListener('input', () => {
    stopComparisons();
    ctx.dispatch({ type: 'input', slot: 'compare', field: 'other', value: other.value });
  });

  const option = (value: string, label: string, description?: string) => {
    const o = h('vscode-option', { value, description });
    o.textContent = label;
    return o;
  };
  let listed: readonly CatalogueItemView[] | undefined;
  const fillOptions = (entries: readonly CatalogueItemView[], choice: string) => {
    listed = entries;
    const catalogue = entries.map((e) => option(e.id, e.id, e.languageSummary));
    // A catalogue id remembered from before the catalogue arrived stays choosable.
    const remembered = choice && choice !== OTHER_MODEL && !entries.some((e) => e.id === choice) ? [option(choice, choice)] : [];
    select.replaceChildren(option('', ctx.t('compare.none')), ...catalogue, ...remembered, option(OTHER_MODEL, ctx.t('compare.other')));
  };
  fillOptions([], ctx.state().compare.choice);

  const element = h(
    'div',
    { class: 'field compare-choice', 'data-testid': `${idPrefix}-compare-choice` },
    h('vscode-label', { for: select.id }, icon('diff'), ' ', ctx.t('compare.with')),
    h('div', { class: 'toolbar' }, select, other),
  );

  return {
    element,
    render(state) {
      const entries = state.picker.result?.entries ?? [];
      if (entries !== listed) fillOptions(entries, state.compare.choice);
      if (select.value !== state.compare.choice) select.value = state.compare.choice;
      other.hidden = state.compare.choice !== OTHER_MODEL;
      if (other.value !== state.compare.other) other.value = state.compare.other;
    },
  };
}
