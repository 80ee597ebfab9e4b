import type { MessageSummary } from '../../api/types'
import { inbox, items } from './list'

/**
 * The keyboard cursor and the selected ids (ids, not positions: rows move when mail arrives). The anchor is
 * where a Shift+click range starts.
 */

export function selectOnly(index: number): void {
  const m = items.value[index]
  inbox.selected = new Set(m ? [m.ID] : [])
  inbox.anchor = index
  inbox.cursor = index
}

export function toggleSelected(index: number): void {
  const m = items.value[index]
  if (!m) return
  const selected = new Set(inbox.selected)
  if (selected.has(m.ID)) selected.delete(m.ID)
  else selected.add(m.ID)
  inbox.selected = selected
  inbox.anchor = index
  inbox.cursor = index
}

export function selectRange(index: number): void {
  const from = inbox.anchor < 0 ? index : inbox.anchor
  const [a, b] = from <= index ? [from, index] : [index, from]
  const selected = new Set(inbox.selected)
  for (let i = a; i <= b; i++) {
    const m = items.value[i]
    if (m) selected.add(m.ID)
  }
  inbox.selected = selected
  inbox.cursor = index
}

/** Selects every loaded row (rows not fetched yet cannot be named; "Delete all" covers the rest). */
export function selectAllLoaded(): void {
  inbox.selected = new Set(items.value.filter((m): m is MessageSummary => !!m).map(m => m.ID))
}

export function clearSelection(): void {
  inbox.selected = new Set()
  inbox.anchor = -1
}

/** The ids an action applies to: the selection, or else the row under the cursor. */
export function targetIds(): string[] {
  if (inbox.selected.size > 0) return [...inbox.selected]
  const m = items.value[inbox.cursor]
  return m ? [m.ID] : []
}
