import { triggerRef } from 'vue'
import { api, ApiError } from '../../api/client'
import type { MessagesPage } from '../../api/types'
import { errorMessage } from '../../lib/errors'
import { inbox, items, PAGE_SIZE } from './list'

/**
 * Fills the sparse list a page at a time, for the mailbox or the current search.
 *
 * Requests in flight remember how many rows live.ts inserted at the top since they were sent, so their rows
 * land at the right place even if mail arrived meanwhile; a reload starts a new generation, so answers to
 * requests sent before it are dropped.
 */
let generation = 0
let sequence = 0
const pending: { start: number; inserts: number; generation: number; sequence: number }[] = []
/** Per page start, the newest request applied: a slower, older response must not overwrite a newer one. */
const appliedSequence = new Map<number, number>()

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
    else inbox.loadError = errorMessage(e)
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

let searchTimer: ReturnType<typeof setTimeout> | undefined
/** Typing in the search box: the list follows once the typing pauses for 250 ms. */
export function setQuery(query: string): void {
  if (query === inbox.query) return
  inbox.query = query
  inbox.cursor = 0
  inbox.selected = new Set()
  clearTimeout(searchTimer)
  searchTimer = setTimeout(reload, 250)
}

let rerunTimer: ReturnType<typeof setTimeout> | undefined
/** New mail may or may not match the search: run it again once a burst of arrivals is over. */
export function rerunSearchSoon(): void {
  clearTimeout(rerunTimer)
  rerunTimer = setTimeout(reload, 400)
}
