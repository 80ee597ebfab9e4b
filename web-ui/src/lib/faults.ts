import type { FaultMatch, FaultRule } from '../api/types'

/** "recipient *@bounce.example, sender a@x" for the rules table; "anything" when every pattern is left out. */
export function describeMatch(match: FaultMatch): string {
  const parts = Object.entries(match)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${value}`)
  return parts.length ? parts.join(', ') : 'anything'
}

/** What the rule does, as the transcript line says it: the reply, or the kind with its parameters. */
export function describeAction(rule: FaultRule): string {
  const a = rule.Action
  const reply = [a.Code, a.EnhancedCode, a.Text].filter(x => x !== null && x !== '').join(' ')
  switch (a.Kind) {
    case 'reply': return reply + (a.CloseAfterReply ? ', then close' : '')
    case 'greylist': return `${reply}; retry accepted after ${a.RetryAfterSeconds ?? '?'} s`
    case 'rate-limit': return `${reply} above ${a.Limit} messages a minute`
    case 'delay': return `the usual reply, ${a.DelaySeconds} s late`
    case 'close': return 'close without a reply'
    case 'timeout': return 'no reply until the client gives up'
    case 'drop': return 'accept and drop'
    case 'tag': return `accept and tag “${a.Tag}”`
    default: return a.Kind
  }
}

/** The action parameter a preset's kind takes beyond its match, if any. */
export function presetParameter(kind: string): { field: 'RetryAfterSeconds' | 'Limit' | 'DelaySeconds'; label: string } | null {
  switch (kind) {
    case 'greylist': return { field: 'RetryAfterSeconds', label: 'retry after (s)' }
    case 'rate-limit': return { field: 'Limit', label: 'messages a minute' }
    case 'delay': return { field: 'DelaySeconds', label: 'delay (s)' }
    default: return null
  }
}
