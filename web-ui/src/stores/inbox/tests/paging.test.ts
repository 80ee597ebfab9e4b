import { afterEach, describe, expect, it, vi } from 'vitest'
import { openInbox, settle } from './fakeServer'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const ids = (list: readonly ({ ID: string } | undefined)[], from: number, to: number) => list.slice(from, to).map(m => m?.ID)

describe('paging', () => {
  it('fetches the first page, then only the page the user scrolls to, once', async () => {
    const { server, store } = await openInbox(250)

    store.setVisibleRange(0, 20)
    await settle()
    expect(server.requests).toEqual(['GET /api/v1/messages?start=0&limit=100'])
    expect(store.inbox.total).toBe(250)
    expect(store.inbox.unread).toBe(250)
    expect(store.items.value.length).toBe(250)
    expect(store.items.value[0]?.ID).toBe('m000250')
    expect(store.items.value[150]).toBeUndefined()

    store.setVisibleRange(150, 170)
    store.setVisibleRange(150, 171)
    await settle()
    expect(server.requests).toEqual(['GET /api/v1/messages?start=0&limit=100', 'GET /api/v1/messages?start=100&limit=100'])
    expect(store.items.value[150]?.ID).toBe('m000100')
    expect(store.items.value[200]).toBeUndefined()
  })

  it('puts a page answered before new mail arrived below the new rows', async () => {
    const { server, store } = await openInbox(250)
    store.setVisibleRange(0, 20)
    await settle()

    server.hold()
    store.setVisibleRange(150, 170)
    store.onMessagesReceived(server.deliver('n1', 'n2'))
    server.release()
    await settle()

    expect(store.inbox.total).toBe(252)
    expect(ids(store.items.value, 0, 3)).toEqual(['n2', 'n1', 'm000250'])
    // Old row 100 (the first of the late page) is row 102 now; rows 100 and 101 came with the first page.
    expect(ids(store.items.value, 100, 103)).toEqual(['m000152', 'm000151', 'm000150'])
    expect(store.items.value[201]?.ID).toBe('m000051')
  })

  it('keeps the newer answer when an older one for the same page arrives after it', async () => {
    const { server, store } = await openInbox(250)
    store.setVisibleRange(0, 20)
    await settle()

    server.hold()
    store.refreshVisible()
    server.messages[0] = { ...server.messages[0], Read: true }
    store.refreshVisible()
    expect(server.heldCount).toBe(2)
    server.release([1, 0])
    await settle()

    expect(store.items.value[0]?.Read).toBe(true)
  })

  it('drops answers to requests sent before a reload', async () => {
    const { server, store } = await openInbox(250)
    store.setVisibleRange(0, 20)
    await settle()

    server.hold()
    store.setVisibleRange(150, 170) // held answer 0: page 100 of the old list
    store.reload() // held answer 1: page 100 again, for the new generation
    server.release([0])
    await settle()
    expect(store.inbox.loadedOnce).toBe(false)
    expect(store.items.value.length).toBe(0)

    server.release()
    await settle()
    expect(store.inbox.loadedOnce).toBe(true)
    expect(store.items.value[150]?.ID).toBe('m000100')
  })

  it('tops up on the first hub connection without clearing what is shown', async () => {
    const { server, store } = await openInbox(250)
    store.setVisibleRange(0, 20)
    await settle()

    server.hold()
    store.refreshVisible()
    expect(store.items.value.length).toBe(250)
    expect(store.inbox.loadedOnce).toBe(true)
    server.release()
    await settle()
    expect(server.requests.filter(r => r.startsWith('GET /api/v1/messages?start=0'))).toHaveLength(2)
  })

  it('searches once typing pauses for 250 ms and lists the matches', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { server, store } = await openInbox(250)
    store.setVisibleRange(0, 20)
    await settle()
    store.selectOnly(4)

    store.setQuery('Subject m00024')
    vi.advanceTimersByTime(100)
    store.setQuery('Subject m000249')
    expect(store.inbox.cursor).toBe(0)
    expect(store.inbox.selected.size).toBe(0)
    vi.advanceTimersByTime(249)
    expect(server.requests.filter(r => r.includes('/search'))).toEqual([])
    vi.advanceTimersByTime(1)
    await settle()

    expect(server.requests.filter(r => r.includes('/search'))).toEqual(['GET /api/v1/search?query=Subject%20m000249&start=0&limit=100'])
    expect(store.inbox.total).toBe(1)
    expect(store.items.value[0]?.ID).toBe('m000249')
  })

  it('shows the server\'s problem for a search it cannot parse, and other failures as load errors', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { server, store } = await openInbox(10)
    store.setVisibleRange(0, 20)
    await settle()

    server.searchProblem = "Unknown search operator 'frm:'; did you mean 'from:'?"
    store.setQuery('frm:x')
    vi.advanceTimersByTime(250)
    await settle()
    expect(store.inbox.searchError).toBe("Unknown search operator 'frm:'; did you mean 'from:'?")
    expect(store.inbox.loadError).toBe('')

    server.failWith = 503
    store.setQuery('')
    vi.advanceTimersByTime(250)
    await settle()
    expect(store.inbox.loadError).toBe('The store is unavailable.')

    server.failWith = null
    store.reload()
    await settle()
    expect(store.inbox.loadError).toBe('')
    expect(store.inbox.total).toBe(10)
  })
})
