import { watch } from 'vue'
import { inbox } from '../stores/inbox'

const baseTitle = 'MailSink'

/** Draws the unread count onto the favicon: a blue envelope with a red count bubble. */
function faviconFor(unread: number): string {
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = 64
  const g = canvas.getContext('2d')
  if (!g) return '/favicon.svg'
  g.fillStyle = '#2563eb'
  g.beginPath()
  g.roundRect(4, 12, 56, 40, 6)
  g.fill()
  g.strokeStyle = '#fff'
  g.lineWidth = 5
  g.beginPath()
  g.moveTo(6, 16)
  g.lineTo(32, 36)
  g.lineTo(58, 16)
  g.stroke()
  if (unread > 0) {
    const text = unread > 99 ? '99+' : String(unread)
    g.fillStyle = '#dc2626'
    g.beginPath()
    g.roundRect(text.length > 2 ? 14 : 26, 26, text.length > 2 ? 50 : 38, 38, 19)
    g.fill()
    g.fillStyle = '#fff'
    g.font = `bold ${text.length > 2 ? 24 : 30}px system-ui, sans-serif`
    g.textAlign = 'center'
    g.textBaseline = 'middle'
    g.fillText(text, text.length > 2 ? 39 : 45, 46)
  }
  return canvas.toDataURL('image/png')
}

/** Keeps the tab title "(3) MailSink" and the favicon badge in step with the unread count. */
export function useUnreadBadge(): void {
  watch(() => inbox.unread, unread => {
    document.title = unread > 0 ? `(${unread}) ${baseTitle}` : baseTitle
    const link = document.getElementById('favicon') as HTMLLinkElement | null
    if (link) {
      link.type = 'image/png'
      link.href = faviconFor(unread)
    }
  }, { immediate: true })
}
