import type {
  FaultPreset, FaultPresetRequest, FaultRule, HeaderLine, Message, MessageChecks, MessagesPage, Problem, Session, SessionsPage, StatusCode, Transcript,
} from './types'

const base = '/api/v1'

/** An API error carrying the server's RFC 9457 problem details when it sent them. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem | null, fallback: string) {
    super(problem?.detail || problem?.title || fallback)
  }
}

async function request(path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(base + path, {
    ...init,
    headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}), ...init?.headers },
  })
  if (!response.ok) {
    let problem: Problem | null = null
    try {
      problem = (await response.json()) as Problem
    } catch {
      problem = null
    }
    throw new ApiError(response.status, problem, `${response.status} ${response.statusText}`)
  }
  return response
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  return (await request(path, init)).json() as Promise<T>
}

const enc = encodeURIComponent

/** before: and after: dates mean the person's own day, as in Mailpit's UI: their zone goes along with such searches. */
function zoneFor(query: string): string {
  const zone = /\b(before|after):/i.test(query) ? Intl.DateTimeFormat().resolvedOptions().timeZone : ''
  return zone ? `&tz=${enc(zone)}` : ''
}

/**
 * The contract says a message carries every summary field; fill the ones a server left out from what it
 * did send, so a missing flag never hides a tab.
 */
function normalizeMessage(m: Message): Message {
  return {
    ...m,
    HTML: m.HTML ?? '',
    Text: m.Text ?? '',
    HasHtml: m.HasHtml ?? !!m.HTML,
    HasText: m.HasText ?? !!m.Text,
    Inline: m.Inline ?? [],
    Attachments: m.Attachments ?? [],
    Received: m.Received ?? [],
    Warnings: m.Warnings ?? [],
    MailFrom: m.MailFrom ?? m.Envelope?.MailFrom ?? '',
    RcptTo: m.RcptTo ?? m.Envelope?.RcptTo ?? [],
    Listener: m.Listener ?? m.Envelope?.Listener ?? '',
    Tls: m.Tls ?? m.Envelope?.Tls ?? null,
  }
}

export const api = {
  listMessages: (start: number, limit: number, signal?: AbortSignal) =>
    json<MessagesPage>(`/messages?start=${start}&limit=${limit}`, { signal }),

  search: (query: string, start: number, limit: number, signal?: AbortSignal) =>
    json<MessagesPage>(`/search?query=${enc(query)}&start=${start}&limit=${limit}${zoneFor(query)}`, { signal }),

  deleteSearch: (query: string) => request(`/search?query=${enc(query)}`, { method: 'DELETE' }),

  message: async (id: string) => normalizeMessage(await json<Message>(`/message/${enc(id)}`)),

  headers: (id: string) => json<HeaderLine[]>(`/message/${enc(id)}/headers?ordered=true`),

  raw: async (id: string) => (await request(`/message/${enc(id)}/raw`, { headers: { Accept: 'text/plain' } })).text(),

  transcript: (id: string) => json<Transcript>(`/message/${enc(id)}/transcript`),

  checks: (id: string) => json<MessageChecks>(`/message/${enc(id)}/checks`),

  codes: () => json<StatusCode[]>('/codes'),

  /** Empty or missing ids means every message. */
  setRead: (ids: string[], read: boolean) =>
    request('/messages', { method: 'PUT', body: JSON.stringify({ IDs: ids, Read: read }) }),

  deleteMessages: (ids: string[]) =>
    request('/messages', { method: 'DELETE', body: JSON.stringify({ IDs: ids }) }),

  deleteAll: () => request('/messages', { method: 'DELETE' }),

  tags: () => json<string[]>('/tags'),

  /** Replaces the tags of the messages (an empty list clears them). */
  setTags: (ids: string[], tags: string[]) =>
    request('/tags', { method: 'PUT', body: JSON.stringify({ IDs: ids, Tags: tags }) }),

  sessions: (start: number, limit: number) => json<SessionsPage>(`/sessions?start=${start}&limit=${limit}`),

  session: (id: string) => json<Session>(`/session/${enc(id)}`),

  faults: () => json<FaultRule[]>('/faults'),

  faultPresets: () => json<FaultPreset[]>('/faults/presets'),

  addFault: (rule: FaultPresetRequest) => json<FaultRule>('/faults', { method: 'POST', body: JSON.stringify(rule) }),

  deleteFault: (id: string) => request(`/faults/${enc(id)}`, { method: 'DELETE' }),

  deleteAllFaults: () => request('/faults', { method: 'DELETE' }),
}

/** URLs the browser opens directly (downloads, images). */
export const urls = {
  part: (id: string, partId: string) => `${base}/message/${enc(id)}/part/${enc(partId)}`,
  rawDownload: (id: string) => `${base}/message/${enc(id)}/raw?download=true`,
}
