// Writes <file>.gz next to every .js/.css/.svg/.html file over 1 KB in dist/
// (the jilian server sends the .gz to clients that accept gzip).
import { readdirSync, readFileSync, statSync, writeFileSync, unlinkSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync, constants } from 'node:zlib'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const exts = /\.(js|css|svg|html)$/
let count = 0, before = 0, after = 0

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const st = statSync(path)
    if (st.isDirectory()) {
      walk(path)
    } else if (name.endsWith('.gz')) {
      if (!statSync(path.slice(0, -3), { throwIfNoEntry: false })) unlinkSync(path) // stale
    } else if (exts.test(name) && st.size > 1024) {
      const data = readFileSync(path)
      const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION })
      writeFileSync(path + '.gz', gz)
      count++
      before += data.length
      after += gz.length
    }
  }
}

walk(dist)
const kb = (n) => (n / 1024).toFixed(1) + ' KB'
console.log(`compress: ${count} files, ${kb(before)} -> ${kb(after)} gzip`)
