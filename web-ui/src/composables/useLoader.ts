import { ref, watch, type Ref, type WatchSource } from 'vue'
import { errorMessage } from '../lib/errors'

export interface Loaded<T> {
  /** The loaded value; null while loading or after a failure. */
  data: Ref<T | null>
  /** Why the last load failed; empty otherwise. */
  error: Ref<string>
}

/**
 * Loads what a component shows whenever its key (the message or session id) changes: clears the old value
 * and error, fetches, and keeps either the result or the error sentence. An answer for a key the component
 * has moved on from is dropped, so a slow response never replaces a newer one.
 */
export function useLoader<K, T>(key: WatchSource<K>, load: (key: K) => Promise<T>): Loaded<T> {
  const data = ref(null) as Ref<T | null>
  const error = ref('')
  let latest = 0
  watch(key, async k => {
    const request = ++latest
    data.value = null
    error.value = ''
    try {
      const value = await load(k)
      if (request === latest) data.value = value
    } catch (e) {
      if (request === latest) error.value = errorMessage(e)
    }
  }, { immediate: true })
  return { data, error }
}
