import { ref, type Ref } from 'vue'
import { errorMessage } from '../lib/errors'

export interface Action {
  /** True while an action runs (buttons are disabled meanwhile). */
  busy: Ref<boolean>
  /** Why the last action failed; cleared when the next one starts. */
  error: Ref<string>
  run: (action: () => Promise<unknown>) => Promise<void>
}

/**
 * Runs what a button or a list asks of the server and keeps the failure as a sentence to show beside it: the
 * load/error bookkeeping of components that act or page rather than show one thing per id (see useLoader).
 */
export function useAction(): Action {
  const busy = ref(false)
  const error = ref('')
  async function run(action: () => Promise<unknown>): Promise<void> {
    busy.value = true
    error.value = ''
    try {
      await action()
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}
