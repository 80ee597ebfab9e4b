/** A run of plain text or a URL, for rendering text bodies with clickable links and no v-html. */
export type TextRun = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

const urlPattern = /\b(?:https?:\/\/|mailto:|www\.)[^\s<>"']+/gi
const trailing = /[.,;:!?)\]}'"]+$/

export function linkify(text: string): TextRun[] {
  const runs: TextRun[] = []
  let last = 0
  for (const match of text.matchAll(urlPattern)) {
    let url = match[0]
    const tail = trailing.exec(url)
    if (tail) url = url.slice(0, -tail[0].length)
    const index = match.index ?? 0
    if (index > last) runs.push({ kind: 'text', text: text.slice(last, index) })
    const href = url.toLowerCase().startsWith('www.') ? `http://${url}` : url
    runs.push({ kind: 'link', text: url, href })
    last = index + url.length
  }
  if (last < text.length) runs.push({ kind: 'text', text: text.slice(last) })
  return runs
}
