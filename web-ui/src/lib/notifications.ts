import { ref } from 'vue'
import type { MessageSummary } from '../api/types'
import { formatAddress } from './format'

const key = 'mailsink.notify'
const supported = typeof window !== 'undefined' && 'Notification' in window

/** Opt-in desktop notifications for mail that arrives while the tab is in the background. */
export const notifications = {
  supported,
  enabled: ref(supported && Notification.permission === 'granted' && localStorage.getItem(key) === 'on'),

  async toggle(): Promise<void> {
    if (!supported) return
    if (notifications.enabled.value) {
      notifications.enabled.value = false
      localStorage.removeItem(key)
      return
    }
    const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission()
    notifications.enabled.value = permission === 'granted'
    if (notifications.enabled.value) localStorage.setItem(key, 'on')
  },

  show(messages: MessageSummary[], open: (id: string) => void): void {
    if (!notifications.enabled.value || !document.hidden || messages.length === 0) return
    const last = messages[messages.length - 1]
    const n = new Notification(
      messages.length === 1 ? (last.Subject || '(no subject)') : `${messages.length} new messages`,
      { body: messages.length === 1 ? formatAddress(last.From) : last.Subject, tag: 'mailsink', icon: '/favicon.svg' },
    )
    n.onclick = () => {
      window.focus()
      open(last.ID)
      n.close()
    }
  },
}
