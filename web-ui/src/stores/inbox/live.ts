import { triggerRef } from 'vue'
import type { MessageSummary, MessageUpdate } from '../../api/types'
import { findLoaded, inbox, items, PAGE_SIZE, removeLoaded, replaceLoaded } from './list'
import { reload, rerunSearchSoon } from './paging'

/**
 * Reconciles the loaded list with the hub's events: new mail at the top without a fetch, deletions and
 * read/tag changes applied to the rows in memory, and a reload only when the list can no longer be
 * kept right locally (rows deleted that were never loaded, a mailbox emptied elsewhere).
 */

/** Ids this tab deleted itself, so the hub's echo of the same deletion is not mistaken for news. */
const locallyDeleted = new Set<string>()

/** actions.ts deleted these: their echo from the hub within 10 s is expected, not news. */
export function expectDeletionEcho(ids: string[]): void {
  ids.forEach(id => locallyDeleted.add(id))
  setTimeout(() => ids.forEach(id => locallyDeleted.delete(id)), 10_000)
}

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
