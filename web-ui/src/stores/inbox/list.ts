import { reactive, shallowRef, triggerRef } from 'vue'
import type { MessageSummary } from '../../api/types'

/** Rows fetched per request; the list asks only for the pages the user scrolls to (index.html preloads the first). */
export const PAGE_SIZE = 100

/**
 * The message list as a sparse array the length of the whole mailbox (or of the search result).
 * Holes are rows not fetched yet: paging.ts fills them a page at a time, so 100,000 messages cost only the
 * pages actually looked at; live.ts puts new mail at the top without a fetch; selection.ts keeps the cursor
 * and the selected ids.
 */
export const items = shallowRef<(MessageSummary | undefined)[]>([])

export const inbox = reactive({
  total: 0,
  /** Unread in the whole mailbox (the badge), not in the search result. */
  unread: 0,
  query: '',
  searchError: '',
  loadError: '',
  loadedOnce: false,
  /** Rows inserted at the top so far; the list view uses the change to keep its scroll position. */
  insertCount: 0,
  cursor: 0,
  selected: new Set<string>() as Set<string>,
  anchor: -1,
})

export function findLoaded(id: string): MessageSummary | undefined {
  return items.value.find(m => m?.ID === id)
}

/**
 * Rows are plain objects passed as props: a changed row must be a new object, or the row component
 * sees the same reference and does not re-render.
 */
export function replaceLoaded(id: string, patch: Partial<MessageSummary>): void {
  const list = items.value
  const i = list.findIndex(m => m?.ID === id)
  if (i < 0) return
  list[i] = { ...list[i]!, ...patch }
  triggerRef(items)
}

/** Takes loaded rows out of the list, keeping the cursor, the unread count and the selection in step; returns how many. */
export function removeLoaded(ids: Set<string>): number {
  const list = items.value
  let removed = 0
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i]
    if (m && ids.has(m.ID)) {
      list.splice(i, 1)
      removed++
      if (i < inbox.cursor) inbox.cursor--
      if (!m.Read) inbox.unread = Math.max(0, inbox.unread - 1)
    }
  }
  if (removed > 0) {
    inbox.total = Math.max(0, inbox.total - removed)
    inbox.cursor = Math.min(inbox.cursor, Math.max(0, inbox.total - 1))
    const selected = new Set(inbox.selected)
    ids.forEach(id => selected.delete(id))
    inbox.selected = selected
    triggerRef(items)
  }
  return removed
}
