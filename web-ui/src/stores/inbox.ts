import { reactive, shallowRef, triggerRef } from 'vue'
import { api, ApiError } from '../api/client'
import type { MessagesPage, MessageSummary, MessageUpdate } from '../api/types'

/** Rows fetched per request; the list asks only for the pages the user scrolls to (index.html preloads the first). */
export const PAGE_SIZE = 100

/**
 * The message list as a sparse array the length of the whole mailbox (or of the search result).
 * Holes are rows not fetched yet; the list view asks for the range it shows and this fills the holes a
 * page at a time, so 100,000 messages cost only the pages actually looked at.
 *
 * Live messages are put at the top without a fetch. Requests in flight remember how many rows were
 * inserted since they were sent, so their rows land at the right place even if mail arrived meanwhile.
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

let generation = 0
let sequence = 0
const pending: { start: number; inserts: number; generation: number; sequence: number }[] = []
/** Per page start, the newest request applied: a slower, older response must not overwrite a newer one. */
const appliedSequence = new Map<number, number>()
/** Ids this tab deleted itself, so the hub's echo of the same deletion is not mistaken for news. */
const locallyDeleted = new Set<string>()

function setLength(n: number): void {
  const list = items.value
  if (list.length !== n) list.length = Math.max(0, n)
}

function applyPage(page: MessagesPage, start: number, shift: number): void {
  const list = items.value
  inbox.total = page.total + shift
  setLength(inbox.total)
  page.messages.forEach((m, i) => { list[start + shift + i] = m })
  inbox.unread = page.messages_unread ?? page.unread
  inbox.loadedOnce = true
  triggerRef(items)
}

async function fetchPage(start: number): Promise<void> {
  const request = { start, inserts: inbox.insertCount, generation, sequence: ++sequence }
  pending.push(request)
  try {
    const page = inbox.query
      ? await api.search(inbox.query, start, PAGE_SIZE)
      : await api.listMessages(start, PAGE_SIZE)
    if (request.generation !== generation) return
    if ((appliedSequence.get(start) ?? 0) > request.sequence) return
    appliedSequence.set(start, request.sequence)
    inbox.searchError = ''
    inbox.loadError = ''
    applyPage(page, start, inbox.insertCount - request.inserts)
  } catch (e) {
    if (request.generation !== generation) return
    if (e instanceof ApiError && e.status === 400 && inbox.query) inbox.searchError = e.message
    else inbox.loadError = e instanceof Error ? e.message : String(e)
  } finally {
    pending.splice(pending.indexOf(request), 1)
  }
}

function isPending(index: number): boolean {
  return pending.some(p => {
    if (p.generation !== generation) return false
    const start = p.start + (inbox.insertCount - p.inserts)
    return index >= start && index < start + PAGE_SIZE
  })
}

/** Makes sure rows first..last (inclusive) are loaded or on their way. */
export function ensureRange(first: number, last: number): void {
  if (!inbox.loadedOnce) {
    if (!isPending(0)) void fetchPage(0)
    return
  }
  const list = items.value
  const end = Math.min(last, inbox.total - 1)
  for (let i = Math.max(0, first); i <= end; i++) {
    if (list[i] === undefined && !isPending(i)) {
      const start = Math.floor(i / PAGE_SIZE) * PAGE_SIZE
      void fetchPage(start)
      i = start + PAGE_SIZE - 1
    }
  }
}

let visibleFirst = 0
let visibleLast = PAGE_SIZE
/** The list view reports what it shows, so a reload can refetch exactly that. */
export function setVisibleRange(first: number, last: number): void {
  visibleFirst = first
  visibleLast = last
  ensureRange(first, last)
}

/** Drops every loaded row and fetches the visible ones again (search changed, reconnect, unknown deletes). */
export function reload(): void {
  generation++
  appliedSequence.clear()
  items.value = []
  inbox.loadedOnce = false
  const first = Math.floor(visibleFirst / PAGE_SIZE) * PAGE_SIZE
  void fetchPage(first).then(() => ensureRange(visibleFirst, visibleLast))
}

/**
 * Fetches the visible page again without dropping what is shown or on its way: for the hub's first
 * connection, which comes moments after the first page was requested. Clearing the list then (as reload
 * does) would throw that page away and make the first render wait for a second round trip.
 */
export function refreshVisible(): void {
  if (!inbox.loadedOnce && pending.length === 0) return reload()
  void fetchPage(Math.floor(visibleFirst / PAGE_SIZE) * PAGE_SIZE)
}

let searchTimer = 0
export function setQuery(query: string): void {
  if (query === inbox.query) return
  inbox.query = query
  inbox.cursor = 0
  inbox.selected = new Set()
  window.clearTimeout(searchTimer)
  searchTimer = window.setTimeout(reload, 250)
}

let rerunTimer = 0
function rerunSearchSoon(): void {
  window.clearTimeout(rerunTimer)
  rerunTimer = window.setTimeout(reload, 400)
}

// ---- hub events ----

export function onMessagesReceived(messages: MessageSummary[]): void {
  if (inbox.query) {
    rerunSearchSoon()
    inbox.unread += messages.filter(m => !m.Read).length
    return
  }
  const list = items.value
  const known = new Set<string>()
  for (let i = 0; i < Math.min(list.length, messages.length + PAGE_SIZE); i++) {
    const m = list[i]
    if (m) known.add(m.ID)
  }
  // The hub sends them in the order accepted; the list is newest first.
  const fresh = messages.filter(m => !known.has(m.ID)).reverse()
  if (fresh.length === 0) return
  list.unshift(...fresh)
  inbox.total += fresh.length
  inbox.insertCount += fresh.length
  inbox.unread += fresh.filter(m => !m.Read).length
  inbox.cursor += fresh.length
  if (inbox.anchor >= 0) inbox.anchor += fresh.length
  triggerRef(items)
}

export function onMessagesDeleted(ids: string[] | null): void {
  if (ids === null) {
    inbox.selected = new Set()
    inbox.cursor = 0
    reload()
    return
  }
  const wanted = new Set(ids.filter(id => !locallyDeleted.has(id)))
  ids.forEach(id => locallyDeleted.delete(id))
  if (wanted.size === 0) return
  const removed = removeLoaded(wanted)
  if (removed < wanted.size) {
    // Some were in pages not loaded: positions below are unknown now, so fetch again.
    reload()
  }
}

function removeLoaded(ids: Set<string>): number {
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

export function onMessageUpdated(update: MessageUpdate): void {
  const m = findLoaded(update.id)
  if (m && (m.Read !== update.read || m.Tags.join() !== update.tags.join())) {
    if (m.Read !== update.read) inbox.unread = Math.max(0, inbox.unread + (update.read ? -1 : 1))
    replaceLoaded(update.id, { Read: update.read, Tags: update.tags })
  }
}

export function onStats(total: number, unread: number): void {
  inbox.unread = unread
  if (!inbox.query && inbox.loadedOnce && total === 0 && inbox.total !== 0) reload()
}

export function findLoaded(id: string): MessageSummary | undefined {
  return items.value.find(m => m?.ID === id)
}

/**
 * Rows are plain objects passed as props: a changed row must be a new object, or the row component
 * sees the same reference and does not re-render.
 */
function replaceLoaded(id: string, patch: Partial<MessageSummary>): void {
  const list = items.value
  const i = list.findIndex(m => m?.ID === id)
  if (i < 0) return
  list[i] = { ...list[i]!, ...patch }
  triggerRef(items)
}

// ---- user actions ----

export async function markRead(ids: string[], read: boolean): Promise<void> {
  if (ids.length === 0) return
  await api.setRead(ids, read)
  const wanted = new Set(ids)
  const list = items.value
  let changed = 0
  list.forEach((m, i) => {
    if (m && wanted.has(m.ID) && m.Read !== read) {
      list[i] = { ...m, Read: read }
      changed++
    }
  })
  inbox.unread = Math.max(0, inbox.unread + (read ? -changed : changed))
  if (changed > 0) triggerRef(items)
}

export async function deleteMessages(ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await api.deleteMessages(ids)
  ids.forEach(id => locallyDeleted.add(id))
  window.setTimeout(() => ids.forEach(id => locallyDeleted.delete(id)), 10_000)
  removeLoaded(new Set(ids))
}

/** Deletes everything, or every search match when a search is active. */
export async function deleteAll(): Promise<void> {
  if (inbox.query) await api.deleteSearch(inbox.query)
  else await api.deleteAll()
  inbox.selected = new Set()
  inbox.cursor = 0
  reload()
}

// ---- selection ----

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
