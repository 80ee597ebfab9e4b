import { triggerRef } from 'vue'
import { api } from '../../api/client'
import { inbox, items, removeLoaded } from './list'
import { expectDeletionEcho } from './live'
import { reload } from './paging'

/** What the user does to messages: asked of the server first, then applied to the loaded rows. */

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
  expectDeletionEcho(ids)
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
