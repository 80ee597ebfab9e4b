import { describe, expect, it } from 'vitest'
import { useAction } from './useAction'

describe('useAction', () => {
  it('is busy while the action runs, keeps a failure\'s sentence, and clears it when the next action starts', async () => {
    const { busy, error, run } = useAction()
    let finish!: () => void
    const running = run(() => new Promise<void>(resolve => { finish = resolve }))
    expect(busy.value).toBe(true)
    finish()
    await running
    expect(busy.value).toBe(false)

    await run(async () => { throw new Error('The store is unavailable.') })
    expect(error.value).toBe('The store is unavailable.')
    expect(busy.value).toBe(false)

    const next = run(async () => {})
    expect(error.value).toBe('')
    await next
  })
})
