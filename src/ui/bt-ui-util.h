/* bt-ui-util.h: on-screen names and number formats shared by the pages. */
#pragma once

#include <gtk/gtk.h>

#include "bt-chart.h"
#include "bt-types.h"

G_BEGIN_DECLS

/* Translated on-screen names. */
const char *bt_ui_item_title      (BtItem       item);
const char *bt_ui_category_title  (BtCategory   category);
const char *bt_ui_action_title    (BtAction     action);
const char *bt_ui_urgency_title   (BtUrgency    urgency);
const char *bt_ui_severity_title  (BtSeverity   severity);
const char *bt_ui_flag_title      (BtFlag       flag);
const char *bt_ui_source_title    (BtSource     source);
/* CSS class of an urgency or severity: "urgency-low" … "urgency-critical" */
const char *bt_ui_urgency_css     (BtUrgency    urgency);
const char *bt_ui_severity_css    (BtSeverity   severity);

/* Numbers and dates for the screen, in the user's locale; "—" when NAN. */
char       *bt_ui_format_number   (double       value,
                                   int          decimals);
char       *bt_ui_format_usd      (double       value);
char       *bt_ui_format_percent  (double       value,
                                   int          decimals);
char       *bt_ui_format_leverage (double       value);
char       *bt_ui_format_score    (double       value);

/* The same three as chart axis and read-out formatters (BtChartFormatFunc). */
void        bt_ui_chart_format_usd     (double    value,
                                        char     *buf,
                                        gsize     size,
                                        gpointer  user_data);
void        bt_ui_chart_format_percent (double    value,
                                        char     *buf,
                                        gsize     size,
                                        gpointer  user_data);
void        bt_ui_chart_format_score   (double    value,
                                        char     *buf,
                                        gsize     size,
                                        gpointer  user_data);
char       *bt_ui_format_day      (BtDay        day);
char       *bt_ui_format_time     (gint64       unix_seconds);

/* A chart style from the widget's theme colours (dark mode follows). */
void        bt_ui_chart_style     (GtkWidget    *widget,
                                   BtChartStyle *style);
/* Set or clear one of the score-low / score-mid / score-high CSS classes. */
void        bt_ui_set_score_class (GtkWidget    *widget,
                                   double        score);


G_END_DECLS
