import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr'
import { ref } from 'vue'
import type { FaultRule, MessageSummary, MessageUpdate, SessionSummary, Stats } from '../api/types'

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected'

export interface HubHandlers {
  messageReceived: (messages: MessageSummary[]) => void
  messagesDeleted: (ids: string[] | null) => void
  messageUpdated: (update: MessageUpdate) => void
  sessionClosed: (session: SessionSummary) => void
  stats: (stats: Stats) => void
  /** Fault rules changed or one fired: every rule, with its count. */
  faultsChanged: (rules: FaultRule[]) => void
  /**
   * After the hub connects: events may have been missed, so lists must be fetched again. `initial` is true
   * for the page's first connection, when the list is just loading and only needs topping up, not clearing.
   */
  resynced: (initial: boolean) => void
}

type Listeners = { [K in keyof HubHandlers]: Set<HubHandlers[K]> }

const listeners: Listeners = {
  messageReceived: new Set(),
  messagesDeleted: new Set(),
  messageUpdated: new Set(),
  sessionClosed: new Set(),
  stats: new Set(),
  faultsChanged: new Set(),
  resynced: new Set(),
}

export const connectionStatus = ref<ConnectionStatus>('disconnected')

/** Subscribes to a hub event; returns the unsubscribe function. */
export function onHub<K extends keyof HubHandlers>(event: K, handler: HubHandlers[K]): () => void {
  listeners[event].add(handler)
  return () => listeners[event].delete(handler)
}

function emit<K extends keyof HubHandlers>(event: K, ...args: Parameters<HubHandlers[K]>): void {
  for (const handler of listeners[event]) (handler as (...a: Parameters<HubHandlers[K]>) => void)(...args)
}

let connection: HubConnection | null = null
let everConnected = false

/** Backs off to 10 s and never gives up: MailSink is often restarted while the tab stays open. */
const retryPolicy = {
  nextRetryDelayInMilliseconds: (ctx: { previousRetryCount: number }) =>
    Math.min(10_000, ctx.previousRetryCount === 0 ? 0 : 500 * 2 ** ctx.previousRetryCount),
}

export function startHub(): void {
  if (connection) return
  const c = new HubConnectionBuilder()
    // Resolved against location.origin, not the document's base URL: opened as http://user:pass@host/, the base
    // URL keeps the credentials and fetch() refuses such a URL, so the hub would never connect.
    .withUrl(new URL('/hubs/inbox', window.location.origin).href)
    .withAutomaticReconnect(retryPolicy)
    .configureLogging(LogLevel.Warning)
    .build()
  connection = c

  c.on('messageReceived', (m: MessageSummary[]) => emit('messageReceived', m))
  c.on('messagesDeleted', (ids: string[] | null) => emit('messagesDeleted', ids))
  c.on('messageUpdated', (u: MessageUpdate) => emit('messageUpdated', u))
  c.on('sessionClosed', (s: SessionSummary) => emit('sessionClosed', s))
  c.on('stats', (s: Stats) => emit('stats', s))
  c.on('faultsChanged', (rules: FaultRule[]) => emit('faultsChanged', rules))

  c.onreconnecting(() => { connectionStatus.value = 'reconnecting' })
  c.onreconnected(() => {
    connectionStatus.value = 'connected'
    emit('resynced', false)
  })
  // Automatic reconnect gave up or the first start failed: keep trying in the background.
  c.onclose(() => {
    connectionStatus.value = 'disconnected'
    window.setTimeout(() => void startWithRetry(), 5_000)
  })

  void startWithRetry()
}

async function startWithRetry(): Promise<void> {
  const c = connection
  if (!c || c.state !== HubConnectionState.Disconnected) return
  connectionStatus.value = 'connecting'
  try {
    await c.start()
    connectionStatus.value = 'connected'
    emit('resynced', !everConnected)
    everConnected = true
  } catch {
    connectionStatus.value = 'disconnected'
    window.setTimeout(() => void startWithRetry(), 3_000)
  }
}
