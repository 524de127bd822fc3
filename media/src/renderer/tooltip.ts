// The hover box of the heatmaps: label/text rows next to the mouse, inside the output container.
import { el } from './elements';

export type TooltipLine = [label: string, text: string];

export function showTooltip(tooltip: HTMLElement, anchor: { x: number; y: number }, lines: TooltipLine[]): void {
  tooltip.replaceChildren(
    ...lines.map(([label, text]) => {
      const row = el('div', 'tip-row');
      row.append(el('span', 'tip-label', label), el('span', 'tip-text', text));
      return row;
    }),
  );
  tooltip.hidden = false;
  tooltip.style.left = `${anchor.x + 12}px`;
  tooltip.style.top = `${anchor.y + 12}px`;
}

/** Mouse position relative to the output container (the tooltip's positioning parent). */
export function relative(event: MouseEvent, container: HTMLElement): { x: number; y: number } {
  const box = container.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}
