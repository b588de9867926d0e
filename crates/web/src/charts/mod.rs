//! Charts: one description of a chart's data, built from the same view struct the page's table is
//! rendered from, so the picture and the numbers cannot disagree. A page puts the description as
//! JSON in a `data-chart` attribute (data, not script: nothing inline for a strict CSP), and
//! `static/charts.js` turns every such element into an ECharts option. Pages with a chart load
//! ECharts (about 1 MB) through the `chart_scripts` block of the layout; other pages never do.
//!
//! `mod.rs` is the mechanism (what a chart is); `views.rs` builds each page's charts from its view.

mod views;

use serde::Serialize;

pub use views::*;

/// How the data is drawn. `charts.js` has one option builder per kind.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Categories along the axis, one bar per series in each.
    Bar,
    /// Categories along the axis, the series stacked into one bar.
    StackedBar,
    /// Columns × rows of cells, each cell one of `levels`.
    Heatmap,
    /// One series, the categories in order from widest to narrowest stage.
    Funnel,
    /// Categories along the axis, one line per series.
    Line,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub name: String,
    /// One value per category; `None` where there is nothing to show (not zero).
    pub values: Vec<Option<f64>>,
    /// The unit shown in the tooltip: `元`, `%`, `分`, `人`.
    pub unit: &'static str,
    /// 0 for the left value axis, 1 for the right one (a second unit in one chart).
    pub axis: u8,
}

/// A heat-map level: what a cell's value means and which of our colours it takes.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub label: &'static str,
    /// A name `charts.js` maps to a colour of the stylesheet (`done`, `due`, `overdue`, `idle`).
    pub tone: &'static str,
}

/// A heat-map cell: column, row, level index.
pub type Cell = [usize; 3];

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub kind: ChartKind,
    /// What the chart shows, in words (its accessible name).
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Heat maps: the row labels, the levels and the cells.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<Cell>,
    /// Bars laid along the vertical axis: long names (branches, groups) stay readable on a phone.
    pub horizontal: bool,
}

impl Chart {
    fn new(kind: ChartKind, title: String, categories: Vec<String>) -> Chart {
        Chart {
            kind,
            title,
            categories,
            series: Vec::new(),
            rows: Vec::new(),
            levels: Vec::new(),
            cells: Vec::new(),
            horizontal: false,
        }
    }

    fn series(mut self, name: &str, unit: &'static str, values: Vec<Option<f64>>) -> Chart {
        self.series.push(Series {
            name: name.to_owned(),
            values,
            unit,
            axis: 0,
        });
        self
    }

    fn on_right_axis(mut self) -> Chart {
        if let Some(last) = self.series.last_mut() {
            last.axis = 1;
        }
        self
    }

    fn horizontal(mut self) -> Chart {
        self.horizontal = true;
        self
    }

    /// The description as JSON for the `data-chart` attribute (the template escapes it).
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The size class: heat maps and long bar lists need more height than a few bars.
    pub fn size(&self) -> &'static str {
        let lines = if self.kind == ChartKind::Heatmap {
            self.rows.len()
        } else if self.horizontal {
            self.categories.len()
        } else {
            0
        };
        if lines > 8 { "chart tall" } else { "chart" }
    }
}
