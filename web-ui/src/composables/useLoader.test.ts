import { describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useLoader } from './useLoader'

/** A load the test answers by hand, to put answers in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

const settle = async () => { for (let i = 0; i < 10; i++) await Promise.resolve() }

describe('useLoader', () => {
  it('loads for the current key and drops the answer for a key it moved on from', async () => {
    const id = ref('a')
    const pending = new Map<string, ReturnType<typeof deferred<string>>>()
    const scope = effectScope()
    const { data, error } = scope.run(() => useLoader(id, key => {
      const d = deferred<string>()
      pending.set(key, d)
      return d.promise
    }))!

    expect(data.value).toBeNull()
    id.value = 'b'
    await nextTick()
    pending.get('b')!.resolve('message b')
    await settle()
    pending.get('a')!.resolve('message a')
    await settle()

    expect(data.value).toBe('message b')
    expect(error.value).toBe('')
    scope.stop()
  })

  it('keeps the failure\'s sentence and clears it when the key changes', async () => {
    const id = ref('a')
    const scope = effectScope()
    const { data, error } = scope.run(() => useLoader(id, async key => {
      if (key === 'a') throw new Error('Message a was deleted.')
      return `message ${key}`
    }))!
    await settle()
    expect(error.value).toBe('Message a was deleted.')
    expect(data.value).toBeNull()

    id.value = 'b'
    await nextTick()
    expect(error.value).toBe('')
    await settle()
    expect(data.value).toBe('message b')
    scope.stop()
  })
})
