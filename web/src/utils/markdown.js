// A tiny Markdown reader for charters and minutes: headings (#..######),
// paragraphs, bullet and numbered lists, block quotes, rules, and **bold**
// inside a line. It returns plain data (blocks of text runs) that the
// MarkdownView component renders with text interpolation, so nothing in the
// input is ever treated as HTML.

/** "a **b** c" -> [{text:'a '}, {text:'b', strong:true}, {text:' c'}] */
export function inlineRuns(text) {
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
 * parseMarkdown(src) -> blocks:
 *   {type:'h', level, runs, id}  {type:'p', runs}  {type:'ul'|'ol', items:[runs], start}
 *   {type:'quote', runs}  {type:'hr'}
 */
export function parseMarkdown(src) {
  const lines = String(src || '').replace(/\r\n?/g, '\n').split('\n')
  const blocks = []
  let para = null
  let list = null
  let quote = null
  let headings = 0

  const flush = () => {
    if (para) blocks.push({ type: 'p', runs: inlineRuns(para.join('\n')) })
    if (list) blocks.push(list)
    if (quote) blocks.push({ type: 'quote', runs: inlineRuns(quote.join('\n')) })
    para = list = quote = null
  }

  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '')
    if (!line.trim()) {
      flush()
      continue
    }
    let m
    if ((m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
      flush()
      blocks.push({ type: 'h', level: m[1].length, runs: inlineRuns(m[2]), id: `h-${++headings}`, text: m[2] })
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
      list.items.push(inlineRuns(m[1]))
      continue
    }
    if ((m = /^\s*(\d{1,9})[.)、]\s+(.*)$/.exec(line))) {
      if (!list || list.type !== 'ol') {
        flush()
        list = { type: 'ol', items: [], start: Number(m[1]) }
      }
      list.items.push(inlineRuns(m[2]))
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
      items[items.length - 1] = [...lastRuns, { text: ' ' }, ...inlineRuns(line.trim())]
      continue
    }
    if (quote) {
      flush()
    }
    if (!para) para = []
    para.push(line.trim())
  }
  flush()
  return blocks
}
