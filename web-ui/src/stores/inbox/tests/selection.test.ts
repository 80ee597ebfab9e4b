import { afterEach, describe, expect, it, vi } from 'vitest'
import { openInbox, settle } from './fakeServer'

afterEach(() => vi.unstubAllGlobals())

async function loaded(count: number) {
  const opened = await openInbox(count)
  opened.store.setVisibleRange(0, 20)
  await settle()
  return opened
}

const selected = (store: { inbox: { selected: Set<string> } }) => [...store.inbox.selected].sort()

describe('selection', () => {
  it('selects one row, adds and removes rows, and extends a range from the last row clicked', async () => {
    const { store } = await loaded(20)

    store.selectOnly(2)
    expect(selected(store)).toEqual(['m000018'])
    expect(store.inbox.cursor).toBe(2)

    store.toggleSelected(4)
    expect(selected(store)).toEqual(['m000016', 'm000018'])
    expect(store.inbox.anchor).toBe(4)

    store.selectRange(7) // from the anchor, row 4, added to what is selected
    expect(selected(store)).toEqual(['m000013', 'm000014', 'm000015', 'm000016', 'm000018'])
    expect(store.inbox.cursor).toBe(7)
    expect(store.inbox.anchor).toBe(4)

    store.selectRange(3) // backwards from the same anchor
    expect(selected(store)).toEqual(['m000013', 'm000014', 'm000015', 'm000016', 'm000017', 'm000018'])

    store.toggleSelected(2)
    expect(selected(store)).toEqual(['m000013', 'm000014', 'm000015', 'm000016', 'm000017'])
    expect(store.inbox.anchor).toBe(2)
  })

  it('selects all loaded rows but none of the rows not fetched yet', async () => {
    const { store } = await loaded(250)

    store.selectAllLoaded()

    expect(store.inbox.selected.size).toBe(100)
    expect(store.inbox.selected.has('m000151')).toBe(true)
    expect(store.inbox.selected.has('m000150')).toBe(false)
  })

  it('acts on the selection, or else on the row under the cursor', async () => {
    const { store } = await loaded(20)
    store.inbox.cursor = 3
    expect(store.targetIds()).toEqual(['m000017'])

    store.toggleSelected(5)
    store.toggleSelected(6)
    expect(store.targetIds().sort()).toEqual(['m000014', 'm000015'])

    store.clearSelection() // the cursor stays on the row toggled last
    expect(store.targetIds()).toEqual(['m000014'])
    expect(store.inbox.anchor).toBe(-1)
    store.selectRange(8) // no anchor: the range is the row itself
    expect(selected(store)).toEqual(['m000012'])
  })

  it('marks the target rows read on the server and in the list', async () => {
    const { server, store } = await loaded(20)
    store.toggleSelected(0)
    store.toggleSelected(1)

    await store.markRead(store.targetIds(), true)

    expect(server.requests).toContain('PUT /api/v1/messages')
    expect(server.messages.filter(m => m.Read).map(m => m.ID).sort()).toEqual(['m000019', 'm000020'])
    expect(store.items.value.slice(0, 3).map(m => m?.Read)).toEqual([true, true, false])
    expect(store.inbox.unread).toBe(18)
  })
})
