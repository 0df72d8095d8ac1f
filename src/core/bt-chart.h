/* bt-chart.h: BTC Turbo's chart renderer, GTK-free (Cairo + PangoCairo).
 *
 * The window's chart widgets, the PNG export of a backtest and the PDF of
 * the daily report all draw through these functions, so a chart looks the
 * same everywhere.  The mapping helpers (value → 0..1, log scale, nice
 * ticks, date ticks, visible range, per-pixel-column decimation) are pure
 * and unit-tested; the render functions only scale them to a rectangle.
 *
 * X positions are "slots": slot i is day first_day + i of the series, and
 * a view is a fractional slot range [view_start, view_end].
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "bt-types.h"

G_BEGIN_DECLS

/* ---- pure mapping ------------------------------------------------------- */

typedef struct
{
  double   min;
  double   max;
  gboolean log;     /* log10 scale: MIN and MAX must be > 0 */
} BtChartScale;

typedef enum
{
  BT_CHART_DATE_DAYS = 0,
  BT_CHART_DATE_MONTHS,
  BT_CHART_DATE_YEARS,
} BtChartDateUnit;

/* Clamp a view of SPAN slots (at least MIN_SPAN) to [0, N − 1]; used by
 * zoom and pan.  Keeps the span when it fits, shifts the view otherwise. */
void     bt_chart_clamp_view       (guint               n,
                                    double              min_span,
                                    double             *view_start,
                                    double             *view_end);

/* Zoom the view by FACTOR (< 1 zooms in) around ANCHOR (a slot that stays
 * at the same place on screen), then clamp it. */
void     bt_chart_zoom_view        (guint               n,
                                    double              min_span,
                                    double              anchor,
                                    double              factor,
                                    double             *view_start,
                                    double             *view_end);

/* ---- rendering ---------------------------------------------------------- */

typedef struct
{
  double red, green, blue, alpha;
} BtChartColor;

typedef struct
{
  BtChartColor foreground;   /* text, needle */
  BtChartColor dim;          /* axis labels, grid (drawn with low alpha) */
  BtChartColor background;   /* NAN alpha or 0: transparent */
  BtChartColor accent;       /* crosshair */
  BtChartColor good;         /* gauge bands and score colours */
  BtChartColor warning;
  BtChartColor bad;
  BtChartColor surface;      /* the read-out's box; alpha 0: BACKGROUND */
  const char  *font;         /* Pango description, e.g. "Cantarell 9"; NULL: "Sans 9" */
  double       scale;        /* 1 for screen, larger for print */
} BtChartStyle;

typedef struct
{
  const char    *label;      /* legend text (already translated), may be NULL */
  const double  *values;     /* N slots, NAN = gap; borrowed */
  BtChartColor   color;
  double         line_width; /* 0: 1.5 */
  gboolean       fill;       /* shade the area under the curve */
  gboolean       hidden;     /* not drawn (nor in the legend, nor fitted):
                              * only read out under the crosshair */
} BtChartSeries;

/* Formats a number for an axis or read-out into BUF (SIZE bytes). */
typedef void (*BtChartFormatFunc) (double   value,
                                   char    *buf,
                                   gsize    size,
                                   gpointer user_data);

typedef struct
{
  BtDay                first_day;   /* day of slot 0 */
  guint                n;           /* slots in every series */
  const BtChartSeries *series;      /* series[0] drives the read-out */
  guint                n_series;
  gboolean             log_scale;
  double               y_min;       /* NAN: fit the visible data */
  double               y_max;       /* NAN: fit the visible data */
  double               view_start;  /* fractional slots */
  double               view_end;
  double               cursor;      /* slot under the crosshair, NAN: none */
  gboolean             show_dates;  /* date labels under the plot */
  gboolean             show_legend;
  BtChartFormatFunc    format_value;/* NULL: "%'.0f" */
  gpointer             format_data;
  const char          *empty_text;  /* drawn when there is nothing to plot */
  const double        *guides;      /* N_GUIDES values: dashed lines labelled on
                                     * the axis instead of the automatic ticks */
  guint                n_guides;
  const char          *readout;     /* the crosshair's read-out text (may hold
                                     * several lines); NULL: the date and every
                                     * series; "": no box, only the line */
  double               value_gutter;/* room right of the plot for the value
                                     * labels, in pixels at scale 1 (see
                                     * bt_chart_pane_value_gutter()); 0: 80 */
} BtChartPane;

/* Reusable per-widget scratch memory, grown only when the width grows:
 * rendering allocates nothing per point or per frame. */
typedef struct _BtChartWorkspace BtChartWorkspace;

BtChartWorkspace *bt_chart_workspace_new  (void);
void              bt_chart_workspace_free (BtChartWorkspace *workspace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtChartWorkspace, bt_chart_workspace_free)

/* The plot area, in PLOT, inside a pane of WIDTH × HEIGHT; the widget
 * maps pointer positions to slots with it.  The top margin is the one of a
 * single legend row: a legend that wraps (narrow panes) moves the plot's top
 * down, never its left and right edges. */
void     bt_chart_pane_plot_area   (const BtChartPane       *pane,
                                    const BtChartStyle      *style,
                                    double                   width,
                                    double                   height,
                                    cairo_rectangle_t       *plot);

/* The room the value labels of PANE need right of the plot, in pixels at
 * scale 1 (for its value_gutter), never under the default 80: the widest
 * label of the ends of the range any view of its series can show (every
 * value of every series, padded as the plot pads them, or Y_MIN..Y_MAX)
 * and of its guides, in STYLE's font.  Reads every value: for when the
 * data change, not for every frame. */
double   bt_chart_pane_value_gutter (const BtChartPane      *pane,
                                     const BtChartStyle     *style);

/* Draw PANE in the rectangle AREA of CR.  Never draws more
 * line segments per series than twice the plot's width in pixels.  The
 * legend wraps onto as many rows as the width needs. */
void     bt_chart_render_pane      (cairo_t                 *cr,
                                    BtChartWorkspace        *workspace,
                                    const BtChartPane       *pane,
                                    const BtChartStyle      *style,
                                    const cairo_rectangle_t *area);

/* The market score gauge: a half-circle dial with the 0–40 / 40–60 / 60–100
 * bands, a needle at VALUE (0–100, NAN: no needle, "—"), the value in large
 * type and CAPTION beneath (may be NULL), in the rectangle AREA of CR. */
void     bt_chart_render_gauge     (cairo_t                 *cr,
                                    const BtChartStyle      *style,
                                    double                   value,
                                    const char              *caption,
                                    const cairo_rectangle_t *area);

/* The default style (Adwaita light colours) for files: PNG and PDF. */
void     bt_chart_style_init_default (BtChartStyle     *style);

/* The daily report as a one-page A4 PDF: TITLE, the market score gauge
 * (MARKET, NAN: none), the price chart PANE (may be NULL) and the report's
 * TEXT beneath.  Strings are already translated. */
gboolean bt_chart_write_report_pdf (const char         *path,
                                    const char         *title,
                                    double              market,
                                    const char         *gauge_caption,
                                    const BtChartPane  *pane,
                                    const char         *text,
                                    GError            **error);

G_END_DECLS
