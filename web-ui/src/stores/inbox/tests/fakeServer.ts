import { vi } from 'vitest'
import type { MessagesPage, MessageSummary } from '../../../api/types'

/** A request the fake server has not answered yet (see hold). */
interface Held {
  url: URL
  answer: () => void
}

/** A fresh inbox store (its module state is per import) talking to a fresh fake server. */
export async function openInbox(count: number): Promise<{ server: FakeServer; store: typeof import('../index') }> {
  vi.resetModules()
  const server = new FakeServer(count)
  vi.stubGlobal('fetch', server.fetch)
  const store = await import('../index')
  return { server, store }
}

export function summary(id: string, read = false): MessageSummary {
  return {
    ID: id, MessageID: `<${id}@test>`, Read: read, From: { Name: '', Address: 'a@example.com' }, To: [], Cc: [], Bcc: [],
    ReplyTo: [], Subject: `Subject ${id}`, Created: '2026-01-01T00:00:00Z', Username: '', Tags: [], Size: 100,
    Attachments: 0, Snippet: '', SessionID: 's', HasHtml: false, HasText: true, Warnings: [], Listener: 'smtp',
    Tls: null, MailFrom: 'a@example.com', RcptTo: ['b@example.com'],
  }
}

/**
 * The MailSink API's message routes over an in-memory mailbox, installed as the global fetch so the store
 * runs its real client code. Newest first, as the server lists them. `hold()` keeps answers back until
 * `release()`, to put a response after other events the way a slow network does.
 */
export class FakeServer {
  messages: MessageSummary[] = []
  requests: string[] = []
  /** Answer searches with 400 and this detail (a query the server cannot parse). */
  searchProblem: string | null = null
  failWith: number | null = null
  private holding = false
  private held: Held[] = []

  constructor(count = 0) {
    for (let i = count; i >= 1; i--) this.messages.push(summary(`m${String(i).padStart(6, '0')}`))
  }

  /** Mail arrives: stored on the server, returned for the hub event. */
  deliver(...ids: string[]): MessageSummary[] {
    const arrived = ids.map(id => summary(id))
    this.messages.unshift(...[...arrived].reverse())
    return arrived
  }

  hold(): void { this.holding = true }

  /**
   * Lets held answers arrive: all of them oldest first, or only those at the given indexes in the given order
   * (the others stay held). Requests sent from now on are answered at once.
   */
  release(order?: number[]): void {
    this.holding = false
    const held = this.held
    const chosen = order ?? held.map((_, j) => j)
    this.held = held.filter((_, j) => !chosen.includes(j))
    for (const i of chosen) held[i].answer()
  }

  get heldCount(): number { return this.held.length }

  readonly fetch = (input: string, init?: RequestInit): Promise<unknown> => {
    const url = new URL(input, 'http://mailsink.test')
    const method = init?.method ?? 'GET'
    this.requests.push(`${method} ${url.pathname}${url.search}`)
    // Answered now, from the mailbox as it is now; a held answer only arrives late.
    const answered = this.respond(method, url, init?.body as string | undefined)
    return new Promise(resolve => {
      const answer = () => resolve(answered)
      if (this.holding && method === 'GET') this.held.push({ url, answer })
      else answer()
    })
  }

  private respond(method: string, url: URL, body: string | undefined) {
    if (this.failWith !== null) return response(this.failWith, { title: 'Service Unavailable', detail: 'The store is unavailable.' })
    const path = url.pathname.replace('/api/v1', '')
    if (path === '/messages' && method === 'GET') return response(200, this.page(this.messages, url))
    if (path === '/search' && method === 'GET') {
      if (this.searchProblem) return response(400, { title: 'Bad search', detail: this.searchProblem })
      const q = url.searchParams.get('query') ?? ''
      return response(200, this.page(this.messages.filter(m => m.Subject.includes(q)), url))
    }
    if (path === '/messages' && method === 'DELETE') {
      const ids = body ? (JSON.parse(body) as { IDs: string[] }).IDs : null
      this.messages = ids ? this.messages.filter(m => !ids.includes(m.ID)) : []
      return response(200, 'ok')
    }
    if (path === '/messages' && method === 'PUT') {
      const { IDs, Read } = JSON.parse(body!) as { IDs: string[]; Read: boolean }
      this.messages = this.messages.map(m => (IDs.includes(m.ID) ? { ...m, Read } : m))
      return response(200, 'ok')
    }
    return response(404, { title: 'Not Found' })
  }

  private page(list: MessageSummary[], url: URL): MessagesPage {
    const start = Number(url.searchParams.get('start'))
    const limit = Number(url.searchParams.get('limit'))
    const messages = list.slice(start, start + limit)
    const unread = this.messages.filter(m => !m.Read).length
    return {
      total: list.length, unread, count: messages.length, messages_count: list.length, messages_unread: unread,
      start, tags: [], messages,
    }
  }
}

/** What the client reads of a Response; plain promises, so awaiting settle() drains every step. */
function response(status: number, body: unknown) {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    json: async () => body,
    text: async () => JSON.stringify(body),
  }
}

/** Lets every promise chain that is not waiting on a held request run to its end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve()
}
