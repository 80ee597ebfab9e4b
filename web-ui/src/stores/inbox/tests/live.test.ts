import { afterEach, describe, expect, it, vi } from 'vitest'
import { openInbox, settle } from './fakeServer'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

async function loaded(count: number) {
  const opened = await openInbox(count)
  opened.store.setVisibleRange(0, 20)
  await settle()
  return opened
}

const gets = (requests: string[]) => requests.filter(r => r.startsWith('GET '))

describe('live reconciliation of hub events', () => {
  it('puts new mail on top, newest first and once, moving the cursor and the anchor with their rows', async () => {
    const { server, store } = await loaded(250)
    store.selectOnly(3)
    const arrived = server.deliver('n1', 'n2')

    store.onMessagesReceived(arrived)
    store.onMessagesReceived(arrived)

    expect(store.items.value.slice(0, 3).map(m => m?.ID)).toEqual(['n2', 'n1', 'm000250'])
    expect(store.inbox.total).toBe(252)
    expect(store.inbox.unread).toBe(252)
    expect(store.inbox.insertCount).toBe(2)
    expect(store.inbox.cursor).toBe(5)
    expect(store.inbox.anchor).toBe(5)
    expect(store.items.value[5]?.ID).toBe('m000247')
    expect([...store.inbox.selected]).toEqual(['m000247'])
    expect(gets(server.requests)).toHaveLength(1)
  })

  it('during a search, runs the search again after a burst of arrivals instead of inserting them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { server, store } = await loaded(250)
    store.setQuery('Subject')
    vi.advanceTimersByTime(250)
    await settle()
    const searches = () => server.requests.filter(r => r.includes('/search')).length
    expect(searches()).toBe(1)

    store.onMessagesReceived(server.deliver('n1'))
    vi.advanceTimersByTime(200)
    store.onMessagesReceived(server.deliver('n2'))
    expect(store.inbox.total).toBe(250)
    expect(store.inbox.unread).toBe(252)
    vi.advanceTimersByTime(399)
    expect(searches()).toBe(1)
    vi.advanceTimersByTime(1)
    await settle()
    expect(searches()).toBe(2)
    expect(store.inbox.total).toBe(252)
  })

  it('removes deleted rows that are loaded in place, and reloads when some were not loaded', async () => {
    const { server, store } = await loaded(250)
    store.selectOnly(5)
    store.toggleSelected(10)

    store.onMessagesDeleted(['m000245'])
    expect(gets(server.requests)).toHaveLength(1)
    expect(store.inbox.total).toBe(249)
    expect(store.inbox.unread).toBe(249)
    expect(store.items.value[5]?.ID).toBe('m000244')
    expect(store.inbox.cursor).toBe(9)
    expect([...store.inbox.selected]).toEqual(['m000240'])

    store.onMessagesDeleted(['m000240', 'm000010'])
    expect(store.inbox.loadedOnce).toBe(false)
    expect(gets(server.requests)).toHaveLength(2)
  })

  it('does not take the echo of this tab\'s own deletion for news', async () => {
    const { server, store } = await loaded(250)

    await store.deleteMessages(['m000250', 'm000010'])
    expect(server.requests).toContain('DELETE /api/v1/messages')
    expect(store.inbox.total).toBe(249)

    store.onMessagesDeleted(['m000250', 'm000010'])
    expect(gets(server.requests)).toHaveLength(1)
    expect(store.inbox.loadedOnce).toBe(true)

    // Only the echo is ignored: the same ids deleted again by someone else are news.
    store.onMessagesDeleted(['m000010'])
    expect(gets(server.requests)).toHaveLength(2)
  })

  it('clears the selection and reloads when the whole mailbox is emptied elsewhere', async () => {
    const { server, store } = await loaded(20)
    store.selectOnly(4)
    server.messages = []

    store.onMessagesDeleted(null)
    await settle()

    expect(store.inbox.selected.size).toBe(0)
    expect(store.inbox.cursor).toBe(0)
    expect(store.inbox.total).toBe(0)
    expect(gets(server.requests)).toHaveLength(2)
  })

  it('replaces a row whose read flag or tags changed with a new object, keeping the unread count', async () => {
    const { store } = await loaded(20)
    const before = store.items.value[0]!

    store.onMessageUpdated({ id: before.ID, read: true, tags: ['signup'] })
    store.onMessageUpdated({ id: before.ID, read: true, tags: ['signup'] })

    const after = store.items.value[0]!
    expect(after).not.toBe(before)
    expect(after.Read).toBe(true)
    expect(after.Tags).toEqual(['signup'])
    expect(store.inbox.unread).toBe(19)
  })

  it('takes the unread count from the stats and reloads when they say the mailbox is empty', async () => {
    const { server, store } = await loaded(20)

    store.onStats(20, 7)
    expect(store.inbox.unread).toBe(7)
    expect(gets(server.requests)).toHaveLength(1)

    server.messages = []
    store.onStats(0, 0)
    await settle()
    expect(gets(server.requests)).toHaveLength(2)
    expect(store.inbox.total).toBe(0)
  })
})
