// A tiny Markdown reader for charters and minutes: headings (#..######),
// paragraphs, bullet and numbered lists, block quotes, rules, and **bold**
// inside a line. It returns plain data (blocks of text runs) that the
// MarkdownView component renders with text interpolation, so nothing in the
// input is ever treated as HTML.
//
// With { rich: true } (the article editor's preview) it also reads *emphasis*,
// `code`, [links](url), ![images](url) and fenced code blocks; URLs are kept
// only when safeUrl() accepts them, and the view builds the elements itself.

/** "a **b** c" -> [{text:'a '}, {text:'b', strong:true}, {text:' c'}] */
export function inlineRuns(text, rich = false) {
  if (rich) return richRuns(text)
  const runs = []
  const re = /\*\*([^*]+)\*\*/g
  let last = 0
  let m
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index) })
    runs.push({ text: m[1], strong: true })
    last = m.index + m[0].length
  }
  if (last < text.length) runs.push({ text: text.slice(last) })
  return runs
}

/**
 * A URL that may be a link (or, with image, an image source): http(s),
 * mailto for links, or a path on this site. Anything else (javascript:,
 * data:, vbscript:, file:, ...) gives ''.
 */
export function safeUrl(url, { image = false } = {}) {
  const u = String(url || '').trim()
  if (!u || /[\u0000-\u001f\s]/.test(u)) return ''
  if (/^https?:\/\//i.test(u)) return u
  if (!image && /^mailto:[^\s]+$/i.test(u)) return u
  if (u.startsWith('//')) return ''
  // No scheme: a path on this site ("/api/...", "img.png", "#top").
  if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) return u
  return ''
}

/** Whether a (safe) URL points at this site (images elsewhere are blocked by the CSP). */
export function isLocalUrl(url) {
  if (!url) return false
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//')) return true
  return typeof window !== 'undefined' && url.startsWith(window.location.origin + '/')
}

const RICH = new RegExp(
  [
    '!\\[([^\\]]*)\\]\\(\\s*([^()\\s]+)(?:\\s+"[^"]*")?\\s*\\)', // 1 alt, 2 src
    '\\[([^\\]]+)\\]\\(\\s*([^()\\s]+)(?:\\s+"[^"]*")?\\s*\\)', // 3 text, 4 href
    '`([^`]+)`', // 5 code
    '\\*\\*([^*]+)\\*\\*', // 6 strong
    '__([^_]+)__', // 7 strong
    '\\*([^*\\s](?:[^*]*[^*\\s])?)\\*', // 8 em
    '(?<![\\w])_([^_\\s](?:[^_]*[^_\\s])?)_(?![\\w])', // 9 em
  ].join('|'),
  'g',
)

/** Runs: {text}, {text, strong}, {text, em}, {text, code}, {text, href}, {image: {src, alt, local}}. */
function richRuns(text) {
  const runs = []
  let last = 0
  let m
  RICH.lastIndex = 0
  while ((m = RICH.exec(text)) !== null) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index) })
    if (m[2] !== undefined) {
      const src = safeUrl(m[2], { image: true })
      runs.push(src ? { image: { src, alt: m[1], local: isLocalUrl(src) } } : { text: m[1] || m[2] })
    } else if (m[4] !== undefined) {
      const href = safeUrl(m[4])
      runs.push(href ? { text: m[3], href } : { text: m[3] })
    } else if (m[5] !== undefined) runs.push({ text: m[5], code: true })
    else if (m[6] !== undefined || m[7] !== undefined) runs.push({ text: m[6] ?? m[7], strong: true })
    else runs.push({ text: m[8] ?? m[9], em: true })
    last = m.index + m[0].length
  }
  if (last < text.length) runs.push({ text: text.slice(last) })
  return runs
}

/**
 * parseMarkdown(src) -> blocks:
 *   {type:'h', level, runs, id}  {type:'p', runs}  {type:'ul'|'ol', items:[runs], start}
 *   {type:'quote', runs}  {type:'hr'}  {type:'code', text} (rich only)
 */
export function parseMarkdown(src, { rich = false } = {}) {
  const runsOf = (text) => inlineRuns(text, rich)
  const lines = String(src || '').replace(/\r\n?/g, '\n').split('\n')
  const blocks = []
  let para = null
  let list = null
  let quote = null
  let headings = 0
  let fence = null

  const flush = () => {
    if (para) blocks.push({ type: 'p', runs: runsOf(para.join('\n')) })
    if (list) blocks.push(list)
    if (quote) blocks.push({ type: 'quote', runs: runsOf(quote.join('\n')) })
    para = list = quote = null
  }

  for (const raw of lines) {
    if (fence) {
      if (/^\s{0,3}(```|~~~)\s*$/.test(raw)) {
        blocks.push({ type: 'code', text: fence.join('\n') })
        fence = null
      } else fence.push(raw)
      continue
    }
    if (rich && /^\s{0,3}(```|~~~)/.test(raw)) {
      flush()
      fence = []
      continue
    }
    const line = raw.replace(/\s+$/, '')
    if (!line.trim()) {
      flush()
      continue
    }
    let m
    if ((m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
      flush()
      blocks.push({ type: 'h', level: m[1].length, runs: runsOf(m[2]), id: `h-${++headings}`, text: m[2] })
      continue
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush()
      blocks.push({ type: 'hr' })
      continue
    }
    if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) {
      if (!list || list.type !== 'ul') {
        flush()
        list = { type: 'ul', items: [] }
      }
      list.items.push(runsOf(m[1]))
      continue
    }
    if ((m = /^\s*(\d{1,9})[.)、]\s+(.*)$/.exec(line))) {
      if (!list || list.type !== 'ol') {
        flush()
        list = { type: 'ol', items: [], start: Number(m[1]) }
      }
      list.items.push(runsOf(m[2]))
      continue
    }
    if ((m = /^\s{0,3}>\s?(.*)$/.exec(line))) {
      if (!quote) {
        flush()
        quote = []
      }
      quote.push(m[1])
      continue
    }
    if (list) {
      // A continuation line of the last list item.
      const items = list.items
      const lastRuns = items[items.length - 1]
      items[items.length - 1] = [...lastRuns, { text: ' ' }, ...runsOf(line.trim())]
      continue
    }
    if (quote) {
      flush()
    }
    if (!para) para = []
    para.push(line.trim())
  }
  flush()
  if (fence) blocks.push({ type: 'code', text: fence.join('\n') })
  return blocks
}
