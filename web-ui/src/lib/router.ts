import { shallowRef } from 'vue'

export type Route =
  | { name: 'inbox' }
  | { name: 'message'; id: string; tab: string | null }
  | { name: 'sessions' }
  | { name: 'session'; id: string }
  | { name: 'faults' }

/** The handful of client-side routes; the host answers every non-API path with index.html. */
export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'message' && parts[1]) return { name: 'message', id: parts[1], tab: parts[2] ?? null }
  if (parts[0] === 'sessions') return { name: 'sessions' }
  if (parts[0] === 'session' && parts[1]) return { name: 'session', id: parts[1] }
  if (parts[0] === 'faults') return { name: 'faults' }
  return { name: 'inbox' }
}

export const route = shallowRef<Route>(parseRoute(window.location.pathname))

export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname) return
  if (replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  route.value = parseRoute(path)
}

export const paths = {
  inbox: () => '/',
  message: (id: string, tab?: string) => `/message/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`,
  sessions: () => '/sessions',
  session: (id: string) => `/session/${encodeURIComponent(id)}`,
  faults: () => '/faults',
}

window.addEventListener('popstate', () => {
  route.value = parseRoute(window.location.pathname)
})
