import { setQuery } from '../stores/inbox'
import { navigate, paths } from './router'

/** The search that finds a tag: quoted when it has a space, as the search syntax wants. */
export function tagQuery(tag: string): string {
  return `tag:${/\s/.test(tag) ? `"${tag}"` : tag}`
}

/** Shows the inbox filtered to one tag (a click on a tag chip anywhere). */
export function searchTag(tag: string): void {
  setQuery(tagQuery(tag))
  navigate(paths.inbox())
}
