// Meanings of SMTP reply codes (RFC 5321 section 4.2) and enhanced status codes (RFC 3463, RFC 4954, the IANA
// "SMTP Enhanced Status Codes" registry), shown when hovering a server line in a transcript. The table lives on
// the server (GET /api/v1/codes, one source for the API and the UI); it is fetched once and is reactive, so
// transcripts rendered before it arrives gain their explanations when it does.

import { reactive } from 'vue'
import { api } from '../api/client'
import type { StatusCode } from '../api/types'

const table = reactive(new Map<string, StatusCode>())
let loading: Promise<void> | null = null

/** Fetches the table once; a failure leaves lines unexplained and is retried on the next call. */
export function loadCodes(): Promise<void> {
  loading ??= api.codes().then(
    codes => { for (const c of codes) table.set(c.Code, c) },
    () => { loading = null },
  )
  return loading
}

const classes: Record<string, string> = {
  '2': 'success',
  '4': 'persistent transient failure (retry later)',
  '5': 'permanent failure',
}

function describe(entry: StatusCode | undefined, fallback: string): string {
  if (!entry) return fallback
  return entry.Fix ? `${entry.Meaning}. Usual fix: ${entry.Fix}` : entry.Meaning
}

/**
 * Explains a server line such as "550 5.1.1 No such user": the reply code and, when present, the
 * enhanced status code. Returns null for lines that do not start with a code.
 */
export function explainReply(line: string): string | null {
  const m = /^(\d{3})[ -](?:([245])\.(\d{1,3})\.(\d{1,3})\b)?/.exec(line)
  if (!m) return null
  void loadCodes()
  const code = m[1]
  const parts = [`${code}: ${describe(table.get(code), `Unknown code, class ${code[0]}xx`)}`]
  if (m[2]) {
    const enhanced = `${m[2]}.${m[3]}.${m[4]}`
    const meaning = describe(table.get(`X.${m[3]}.${m[4]}`), 'Unlisted enhanced status')
    parts.push(`${enhanced}: ${meaning} (${classes[m[2]]})`)
  }
  return parts.join('\n')
}

export function replyCodeOf(line: string): string | null {
  const m = /^(\d{3})[ -]/.exec(line)
  return m ? m[1] : null
}
