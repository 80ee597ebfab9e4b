import type { Attachment } from '../api/types'
import { urls } from '../api/client'

export interface SandboxedHtml {
  /** The document for the iframe's srcdoc, CSP meta first. */
  srcdoc: string
  /** Remote images, stylesheets, fonts and backgrounds found (blocked unless allowed). */
  remoteCount: number
}

const remoteUrl = /^\s*(?:https?:)?\/\//i
const cssRemoteUrl = /url\(\s*['"]?\s*(?:https?:)?\/\//gi
const cssCidUrl = /url\(\s*(['"]?)\s*cid:([^'")\s]+)\s*\1\s*\)/gi
const urlAttributes = ['src', 'background', 'poster', 'href', 'srcset'] as const

/**
 * Prepares message HTML for an iframe with sandbox="" (no scripts, opaque origin). The HTML is parsed
 * with DOMParser, whose documents are inert (nothing loads, nothing runs), so rewriting it is safe.
 * cid: references point at the part API; a strict CSP meta blocks everything else, and allows remote
 * images, styles and fonts only when the user asked for them.
 */
export function sandboxHtml(
  html: string,
  messageId: string,
  parts: Attachment[],
  allowRemote: boolean,
  origin: string = window.location.origin,
): SandboxedHtml {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const byCid = new Map<string, string>()
  for (const p of parts) {
    if (p.ContentID) byCid.set(p.ContentID.replace(/^<|>$/g, '').toLowerCase(), origin + urls.part(messageId, p.PartID))
  }
  const resolveCid = (ref: string) => byCid.get(decodeURIComponent(ref.trim()).toLowerCase()) ?? ''

  // Nothing here may redirect, re-base or re-police the document.
  doc.querySelectorAll('script, base, meta[http-equiv]').forEach(el => el.remove())

  let remoteCount = 0
  doc.querySelectorAll<HTMLElement>('*').forEach(el => {
    for (const name of urlAttributes) {
      const value = el.getAttribute(name)
      if (value === null) continue
      if (/^\s*cid:/i.test(value)) {
        el.setAttribute(name, resolveCid(value.replace(/^\s*cid:/i, '')))
      } else if (name !== 'href' && remoteUrl.test(value)) {
        remoteCount++
      } else if (name === 'href' && el.tagName === 'LINK' && remoteUrl.test(value)) {
        remoteCount++
      }
    }
    const style = el.getAttribute('style')
    if (style) {
      remoteCount += (style.match(cssRemoteUrl) ?? []).length
      el.setAttribute('style', style.replace(cssCidUrl, (_m, _q, cid: string) => `url("${resolveCid(cid)}")`))
    }
    if (el.tagName === 'A') el.setAttribute('rel', 'noopener noreferrer')
  })
  doc.querySelectorAll('style').forEach(el => {
    const css = el.textContent ?? ''
    remoteCount += (css.match(cssRemoteUrl) ?? []).length + (css.match(/@import\s+['"]?(?:https?:)?\/\//gi) ?? []).length
    el.textContent = css.replace(cssCidUrl, (_m, _q, cid: string) => `url("${resolveCid(cid)}")`)
  })

  const remote = allowRemote ? ' https: http:' : ''
  const parts_ = `${origin}${urls.part(messageId, '')}`
  const csp = [
    "default-src 'none'",
    `img-src data: ${parts_}${remote}`,
    `style-src 'unsafe-inline'${remote}`,
    `font-src data:${remote}`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ')

  const meta = doc.createElement('meta')
  meta.setAttribute('http-equiv', 'Content-Security-Policy')
  meta.setAttribute('content', csp)
  const charset = doc.createElement('meta')
  charset.setAttribute('charset', 'utf-8')
  doc.head.prepend(charset, meta)

  return { srcdoc: '<!doctype html>\n' + doc.documentElement.outerHTML, remoteCount }
}
