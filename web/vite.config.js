import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The jilian server (see ../README.md) serves dist/ and the API on one origin;
// in development the Vite server proxies /api to a running jilian.
const api = process.env.JILIAN_API || 'http://127.0.0.1:18500'

export default defineConfig({
  plugins: [vue()],
  define: {
    // vue-i18n: composition API only, messages compiled by the JIT compiler
    // to an AST and interpreted (no eval / new Function: CSP-safe).
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_JIT_COMPILATION__: true,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
    __VUE_OPTIONS_API__: true,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'vendor-echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            {
              name: 'vendor-element',
              test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|dayjs|lodash|lodash-es|lodash-unified|async-validator|@vueuse|normalize-wheel-es|memoize-one|@ctrl)[\\/]/,
              priority: 20,
            },
            {
              name: 'vendor-vue',
              test: /node_modules[\\/](vue|@vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
})
