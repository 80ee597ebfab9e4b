import type { Address } from '../api/types'

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** "1 message", "0 messages", "1,234 messages": the plural only when the count is not exactly one. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : plural}`
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' })

/** "5 min. ago", "yesterday"; falls back to the date for anything older than a week. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  const seconds = Math.round((t - now) / 1000)
  const abs = Math.abs(seconds)
  if (abs < 45) return 'just now'
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 7 * 86400) return rtf.format(Math.round(seconds / 86400), 'day')
  return new Date(t).toLocaleDateString()
}

/**
 * Local time, then the time as written with its own offset ("2026-11-28 09:14:01 +01:00"): the offset says
 * where a hop or sender was. Fractions of a second are dropped (the server sends up to 7 digits).
 */
export function exactTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toLocaleString()} (${compactIso(iso)})`
}

function compactIso(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(iso)
  if (!m) return iso
  const offset = !m[3] || m[3] === 'Z' ? '+00:00' : m[3]
  return `${m[1]} ${m[2]} ${offset}`
}

export function clockTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const ms = String(d.getMilliseconds()).padStart(3, '0')
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${ms}`
}

export function formatAddress(a: Address | null | undefined): string {
  if (!a) return ''
  return a.Name ? `${a.Name} <${a.Address}>` : a.Address
}

export function shortAddress(a: Address | null | undefined): string {
  if (!a) return ''
  return a.Name || a.Address
}

export function formatAddresses(list: Address[] | null | undefined): string {
  return (list ?? []).map(formatAddress).join(', ')
}

export function formatDelay(seconds: number | null): string {
  if (seconds === null || seconds === undefined) return ''
  const abs = Math.abs(seconds)
  if (abs < 1) return `${Math.round(seconds * 1000)} ms`
  if (abs < 120) return `${seconds.toFixed(abs < 10 ? 1 : 0)} s`
  if (abs < 7200) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}
