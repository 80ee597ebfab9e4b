import { onBeforeUnmount, onMounted } from 'vue'
import {
  clearSelection, deleteMessages, inbox, items, markRead, selectAllLoaded, targetIds, toggleSelected,
} from '../stores/inbox'
import { route } from '../lib/router'

export interface KeyboardActions {
  focusSearch: () => void
  toggleHelp: () => void
  closeOverlays: () => boolean
  open: (id: string) => void
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

/** Gmail-like keys for the inbox: j/k, Enter, x, r/u, Delete, /, ?, Esc. */
export function useKeyboard(actions: KeyboardActions): void {
  function move(delta: number): void {
    const next = Math.min(Math.max(0, inbox.cursor + delta), Math.max(0, inbox.total - 1))
    inbox.cursor = next
    // With a message open, moving opens the next one (as mail clients do).
    const m = items.value[next]
    if (m && route.value.name === 'message') actions.open(m.ID)
  }

  function onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.altKey) return
    if (isTyping(e.target)) return
    const inInbox = route.value.name === 'inbox' || route.value.name === 'message'
    const mod = e.ctrlKey || e.metaKey
    if (mod && e.key.toLowerCase() === 'a' && inInbox) {
      e.preventDefault()
      selectAllLoaded()
      return
    }
    if (mod) return
    switch (e.key) {
      case '/':
        e.preventDefault()
        actions.focusSearch()
        return
      case '?':
        e.preventDefault()
        actions.toggleHelp()
        return
      case 'Escape':
        if (!actions.closeOverlays()) clearSelection()
        return
    }
    if (!inInbox) return
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        e.preventDefault()
        move(1)
        break
      case 'k':
      case 'ArrowUp':
        e.preventDefault()
        move(-1)
        break
      case 'Enter': {
        const m = items.value[inbox.cursor]
        if (m) actions.open(m.ID)
        break
      }
      case 'x':
      case ' ':
        e.preventDefault()
        toggleSelected(inbox.cursor)
        break
      case 'r':
        void markRead(targetIds(), true)
        break
      case 'u':
        void markRead(targetIds(), false)
        break
      case 'Delete':
      case 'Backspace':
        e.preventDefault()
        void deleteMessages(targetIds())
        break
    }
  }

  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
