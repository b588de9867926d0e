// Draws every [data-chart] element with ECharts. The attribute holds the chart's data as JSON,
// built on the server from the same view as the table beside it (crates/web/src/charts.rs); this
// file only turns that description into an ECharts option, one builder per kind. SVG renderer:
// crisp on phones, and the browser tests can look at what was drawn.
(function () {
  'use strict';
  if (!window.echarts) {
    return;
  }

  // Our colours, from the stylesheet's custom properties, with the same values as fallbacks.
  var css = window.getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    var value = css.getPropertyValue(name).trim();
    return value || fallback;
  }
  var red = colour('--red', '#b71c1c');
  var ink = colour('--ink', '#222');
  var muted = colour('--muted', '#666');
  var line = colour('--line', '#e3e3e3');
  var palette = [red, '#e0a800', '#2e7d32', '#1565c0', '#6a1b9a', '#8e1515'];
  var tones = { done: '#2e7d32', due: '#e0a800', overdue: red, idle: line };
  var font = '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function narrow() {
    return window.innerWidth < 600;
  }

  function number(value, unit) {
    if (value === null || value === undefined) {
      return '—';
    }
    return value + (unit === '%' ? '%' : ' ' + unit);
  }

  function legend() {
    return { bottom: 0, left: 'center', type: 'scroll', textStyle: { color: ink } };
  }

  function tooltip(data) {
    return {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: function (items) {
        if (!items.length) {
          return '';
        }
        var lines = [items[0].axisValueLabel || items[0].name];
        items.forEach(function (item) {
          var unit = data.series[item.seriesIndex].unit;
          lines.push(item.marker + item.seriesName + '：' + number(item.value, unit));
        });
        return lines.join('<br>');
      }
    };
  }

  // Bars, stacked bars and lines share their axes: categories on one, values on the other (a
  // second value axis when a series asks for it, e.g. a rate beside amounts).
  function axial(data) {
    var stacked = data.kind === 'stacked_bar';
    var twoAxes = data.series.some(function (s) { return s.axis === 1; });
    var label = { color: muted, hideOverlap: true };
    var category = {
      type: 'category',
      data: data.categories,
      axisLabel: data.horizontal
        ? Object.assign({ width: narrow() ? 80 : 160, overflow: 'truncate' }, label)
        : Object.assign({ rotate: data.categories.length > 6 && narrow() ? 45 : 0 }, label),
      axisLine: { lineStyle: { color: line } },
      inverse: !!data.horizontal
    };
    function valueAxis(index) {
      var unit = (data.series.filter(function (s) { return s.axis === index; })[0] || {}).unit || '';
      return {
        type: 'value',
        name: unit,
        // A rate is read against the whole: its axis runs to 100% (further if a rate does).
        min: unit === '%' ? 0 : null,
        max: unit === '%' ? function (extent) { return Math.max(100, extent.max); } : null,
        nameTextStyle: { color: muted },
        axisLabel: { color: muted, hideOverlap: true },
        splitLine: { show: index === 0, lineStyle: { color: line } }
      };
    }
    var values = twoAxes ? [valueAxis(0), valueAxis(1)] : [valueAxis(0)];
    var series = data.series.map(function (s) {
      var isLine = data.kind === 'line' || (s.axis === 1 && data.kind === 'bar');
      var entry = {
        name: s.name,
        type: isLine ? 'line' : 'bar',
        data: s.values,
        barMaxWidth: 28,
        connectNulls: false
      };
      if (stacked) {
        entry.stack = 'total';
      }
      if (isLine) {
        entry.symbolSize = 7;
      }
      if (data.horizontal) {
        entry.xAxisIndex = s.axis;
      } else {
        entry.yAxisIndex = s.axis;
      }
      return entry;
    });
    return {
      grid: { left: 14, right: 16, top: 32, bottom: 48, containLabel: true },
      legend: legend(),
      tooltip: tooltip(data),
      xAxis: data.horizontal ? values : category,
      yAxis: data.horizontal ? category : values,
      series: series
    };
  }

  function heatmap(data) {
    var pieces = data.levels.map(function (level, index) {
      return { value: index, label: level.label, color: tones[level.tone] || line };
    });
    return {
      grid: { left: 14, right: 8, top: 8, bottom: 56, containLabel: true },
      tooltip: {
        confine: true,
        formatter: function (item) {
          var cell = item.value;
          return data.rows[cell[1]] + ' · ' + data.categories[cell[0]] + '：' + data.levels[cell[2]].label;
        }
      },
      xAxis: {
        type: 'category',
        data: data.categories,
        splitArea: { show: true },
        axisLabel: { color: muted, interval: 0, rotate: data.categories.length > 4 && narrow() ? 45 : 0 }
      },
      yAxis: {
        type: 'category',
        data: data.rows,
        inverse: true,
        splitArea: { show: true },
        axisLabel: { color: muted, interval: 0, width: narrow() ? 96 : 180, overflow: 'truncate' }
      },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        pieces: pieces,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemWidth: 14,
        itemGap: 8,
        textStyle: { color: ink },
        selectedMode: false
      },
      series: [{
        type: 'heatmap',
        data: data.cells,
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: ink } }
      }]
    };
  }

  function funnel(data) {
    var series = data.series[0] || { values: [], unit: '' };
    // Widths are relative to the largest stage (ECharts' default scale is 0–100).
    var largest = Math.max.apply(null, series.values.concat([1]));
    return {
      tooltip: {
        confine: true,
        formatter: function (item) {
          return item.name + '：' + number(item.value, series.unit);
        }
      },
      series: [{
        type: 'funnel',
        sort: 'none',
        min: 0,
        max: largest,
        left: '8%',
        width: '84%',
        top: 8,
        bottom: 8,
        minSize: '18%',
        gap: 2,
        label: {
          position: 'inside',
          color: '#fff',
          formatter: function (item) {
            return item.name + ' ' + number(item.value, series.unit);
          }
        },
        data: data.categories.map(function (name, index) {
          return { name: name, value: series.values[index] };
        })
      }]
    };
  }

  var builders = { bar: axial, stacked_bar: axial, line: axial, heatmap: heatmap, funnel: funnel };

  var drawn = [];
  document.querySelectorAll('[data-chart]').forEach(function (element) {
    var data;
    try {
      data = JSON.parse(element.getAttribute('data-chart'));
    } catch (error) {
      return;
    }
    var build = builders[data.kind];
    if (!build) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: 'svg', locale: 'ZH' });
    var option = build(data);
    option.color = palette;
    option.textStyle = { fontFamily: font };
    option.animation = false;
    chart.setOption(option);
    element.setAttribute('data-chart-drawn', '');
    drawn.push(chart);
  });

  var pending = null;
  window.addEventListener('resize', function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      drawn.forEach(function (chart) { chart.resize(); });
    }, 100);
  });
})();
