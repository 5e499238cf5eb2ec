// ECharts options shared by the console and the portal.
const PALETTE = ['#1663c7', '#2fb37a', '#f2a93b', '#8c6bd8', '#e5574f', '#27a8c4', '#9aa5b1']

export function pieOption(items, { name = '', compact = false } = {}) {
  return {
    color: PALETTE,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        name,
        type: 'pie',
        radius: compact ? ['35%', '62%'] : ['40%', '68%'],
        center: ['50%', compact ? '40%' : '44%'],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 4 },
        label: compact ? { show: true, position: 'inside', formatter: '{c}', color: '#fff' } : { show: true, formatter: '{b}\n{c}' },
        data: items.map((i) => ({ name: i.label, value: i.count })),
      },
    ],
  }
}

export function barOption(items, { name = '', horizontal = false, color = PALETTE[0] } = {}) {
  const labels = items.map((i) => i.label)
  const values = items.map((i) => i.count)
  const cat = {
    type: 'category',
    data: labels,
    axisTick: { alignWithLabel: true },
    axisLabel: horizontal ? {} : { interval: 0, rotate: labels.length > 8 ? 40 : 0 },
  }
  const val = { type: 'value', minInterval: 1 }
  return {
    color: [color],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: [
      {
        name,
        type: 'bar',
        data: values,
        barMaxWidth: 28,
        itemStyle: { borderRadius: horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0] },
        label: { show: true, position: horizontal ? 'right' : 'top' },
      },
    ],
  }
}

/**
 * Bars of several series per category (e.g. two rates by school):
 * series = [{name, data: [number|null]}]; percent: a 0–100 axis with "%".
 */
export function groupedBarOption(labels, series, { percent = false, horizontal = false } = {}) {
  const cat = {
    type: 'category',
    data: labels,
    axisTick: { alignWithLabel: true },
    axisLabel: horizontal ? { width: 140, overflow: 'truncate' } : { interval: 0, rotate: labels.length > 6 ? 35 : 0, width: 90, overflow: 'truncate' },
  }
  const val = percent ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } } : { type: 'value', minInterval: 1 }
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: percent ? (v) => (v === null || v === undefined ? '—' : `${v}%`) : undefined },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      data: s.data,
      barMaxWidth: 22,
      itemStyle: { borderRadius: horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] },
      label: { show: labels.length <= 12, position: horizontal ? 'right' : 'top', formatter: percent ? '{c}%' : '{c}', fontSize: 11 },
    })),
  }
}
