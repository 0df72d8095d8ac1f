/* test-ui-common.c: helpers shared by BTC Turbo's widget tests. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-application.h"
#include "bt-base.h"
#include "bt-session-private.h"
#include "bt-test-events.h"
#include "bt-test-util.h"
#include "test-ui-common.h"

void
test_ui_init (int    *argc,
              char ***argv)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  bt_ui_init ();
  /* GNOME's default title bar buttons: only Close */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "menu:close", NULL);

  /* what AdwApplication does for the real window */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/btcturbo/BtcTurbo/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/btcturbo/BtcTurbo/icons");
}

void
test_ui_init_translated (int    *argc,
                         char ***argv)
{
  test_ui_bind_textdomain ();
  test_ui_init (argc, argv);
  if (g_getenv ("LANGUAGE") != NULL)
    setlocale (LC_ALL, "");
}

double
test_ui_stall_bound_ms (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return 100 * 150;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 100 * 150;
#else
  return 100 * 50;
#endif
#else
  return 100 * 50;
#endif
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

void
test_ui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

guint
test_ui_safety_net_start (gboolean *expired)
{
  return g_timeout_add_seconds (TEST_UI_SAFETY_S, quit_cb, expired);
}

void
test_ui_wait_drawn (GtkWidget *widget)
{
  TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (widget));
  /* a few frames for allocation, CSS and the first paint */
  test_ui_spin (300);
}

/* A stack cross-fading or a revealer sliding below WIDGET: a picture taken
 * now would show two pages at once. */
static gboolean
transition_running (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  if (GTK_IS_REVEALER (widget) &&
      gtk_revealer_get_child_revealed (GTK_REVEALER (widget)) !=
      gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (transition_running (child))
      return TRUE;
  return FALSE;
}

void
test_ui_save_png (GtkWidget  *widget,
                  const char *dir,
                  const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA bg;

  /* the picture of the page as it stays, not halfway through a change */
  TEST_UI_WAIT_UNTIL (!transition_running (widget));
  g_assert_nonnull (renderer);
  g_assert_cmpint (width, >, 0);
  /* the window paints the background under its content */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color", &bg))
    bg = (GdkRGBA) { 1, 1, 1, 1 };
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  file = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, file));
}

void
test_ui_bind_textdomain (void)
{
  const char *localedir = g_getenv ("BT_LOCALEDIR");

  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

GtkWidget *
test_ui_find (GtkWidget    *root,
              TestUiMatch   match,
              gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_ui_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, (GType) GPOINTER_TO_SIZE (data));
}

GtkWidget *
test_ui_find_type (GtkWidget *root,
                   GType      type)
{
  return test_ui_find (root, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

GtkWidget *
test_ui_find_label (GtkWidget  *root,
                    const char *text)
{
  return test_ui_find (root, is_label, text);
}

/* Piecewise-linear interpolation between (x, y) knots, clamped: SCORING.md §2. */
static double
band (const double *x,
      const double *y,
      guint         n,
      double        v)
{
  if (v <= x[0])
    return y[0];
  for (guint i = 1; i < n; i++)
    if (v <= x[i])
      return y[i - 1] + (y[i] - y[i - 1]) * (v - x[i - 1]) / (x[i] - x[i - 1]);
  return y[n - 1];
}

void
test_ui_sample_scores (BtScores   *scores,
                       BtDecision *decision)
{
  static const double mvrv_x[] = { -0.5, 0, 1, 2, 3, 4, 6 }, mvrv_y[] = { 100, 95, 80, 60, 35, 15, 0 };
  static const double rpr_x[] = { 0.8, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5 }, rpr_y[] = { 100, 90, 70, 50, 30, 15, 0 };
  static const double puell_x[] = { 0.5, 0.8, 1.0, 1.5, 2.5, 4.0 }, puell_y[] = { 100, 85, 70, 50, 25, 0 };
  static const double rsiw_x[] = { 30, 40, 50, 60, 70, 80, 90 }, rsiw_y[] = { 100, 85, 70, 55, 35, 15, 0 };
  static const double rsim_x[] = { 35, 50, 65, 80, 90 }, rsim_y[] = { 100, 75, 50, 20, 0 };
  static const double fund_x[] = { -0.03, 0, 0.01, 0.03, 0.05, 0.10 }, fund_y[] = { 100, 85, 75, 45, 25, 0 };
  static const double ls_x[] = { 0.8, 1.0, 1.5, 2.0, 3.0 }, ls_y[] = { 100, 80, 55, 35, 0 };
  /* the items scored through their bands: value, knots, source */
  static const struct
  {
    BtItem        item;
    double        value;
    const double *x, *y;
    guint         n;
    BtSource      source;
  } banded[] = {
    { BT_ITEM_MVRV_Z_SCORE, 2.61, mvrv_x, mvrv_y, G_N_ELEMENTS (mvrv_x), BT_SOURCE_COINMETRICS },
    { BT_ITEM_REALIZED_PRICE_RATIO, 2.18, rpr_x, rpr_y, G_N_ELEMENTS (rpr_x), BT_SOURCE_COINMETRICS },
    { BT_ITEM_PUELL_MULTIPLE, 1.92, puell_x, puell_y, G_N_ELEMENTS (puell_x), BT_SOURCE_COINMETRICS },
    { BT_ITEM_RSI_WEEKLY, 71.4, rsiw_x, rsiw_y, G_N_ELEMENTS (rsiw_x), BT_SOURCE_COMPUTED },
    { BT_ITEM_RSI_MONTHLY, 78.2, rsim_x, rsim_y, G_N_ELEMENTS (rsim_x), BT_SOURCE_COMPUTED },
    { BT_ITEM_FUNDING_RATE_7D, 0.0213, fund_x, fund_y, G_N_ELEMENTS (fund_x),
      BT_SOURCE_BINANCE_FUTURES },
    { BT_ITEM_LONG_SHORT_RATIO, 1.32, ls_x, ls_y, G_N_ELEMENTS (ls_x), BT_SOURCE_BINANCE_FUTURES },
  };
  static const double weights[BT_N_ITEMS] = { 25, 20, 5, 8, 7, 5, 3, 3, 2, 20, 10 };
  static const BtCategory cat[BT_N_ITEMS] = { 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2 };
  static const double cat_weight[BT_N_CATEGORIES] = { 50, 20, 30 };
  double num[BT_N_CATEGORIES] = { 0 }, den[BT_N_CATEGORIES] = { 0 };
  double market_num = 0, market_den = 0;

  memset (scores, 0, sizeof *scores);
  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      scores->item_value[i] = NAN;
      scores->item_score[i] = NAN;
      scores->item_flag[i] = BT_FLAG_OK;
      scores->item_source[i] = BT_SOURCE_COMPUTED;
    }
  /* a day like 2024-03-31 (PRODUCT.md's example) */
  for (guint i = 0; i < G_N_ELEMENTS (banded); i++)
    {
      scores->item_value[banded[i].item] = banded[i].value;
      scores->item_score[banded[i].item] = band (banded[i].x, banded[i].y, banded[i].n,
                                                 banded[i].value);
      scores->item_source[banded[i].item] = banded[i].source;
    }
  scores->item_flag[BT_ITEM_STH_SOPR] = BT_FLAG_MISSING;
  scores->item_source[BT_ITEM_STH_SOPR] = BT_SOURCE_NONE;
  scores->item_flag[BT_ITEM_EXCHANGE_NETFLOW] = BT_FLAG_STALE;
  scores->item_source[BT_ITEM_EXCHANGE_NETFLOW] = BT_SOURCE_COINMETRICS;
  scores->item_value[BT_ITEM_EMA_SYSTEM] = 90;   /* all EMAs under the close, 3 of 4 pairs … */
  scores->item_score[BT_ITEM_EMA_SYSTEM] = 90;
  scores->item_value[BT_ITEM_BBW] = 8.4;
  scores->item_score[BT_ITEM_BBW] = 72.0;

  for (guint i = 0; i < BT_N_ITEMS; i++)
    if (!isnan (scores->item_score[i]) && scores->item_flag[i] == BT_FLAG_OK)
      {
        num[cat[i]] += weights[i] * scores->item_score[i];
        den[cat[i]] += weights[i];
      }
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    {
      scores->category[c] = den[c] > 0 ? num[c] / den[c] : NAN;
      if (den[c] > 0)
        {
          market_num += cat_weight[c] * scores->category[c];
          market_den += cat_weight[c];
        }
    }
  scores->market = market_num / market_den;
  /* nominal weights: cycle 25+20+5 = 50; momentum (8+7+5+2) × 20/28; technical 30 */
  scores->confidence = (50 + 22 * 20.0 / 28 + 30);

  memset (decision, 0, sizeof *decision);
  decision->action = BT_ACTION_HOLD;
  decision->rule = BT_RULE_HOLD;
  decision->urgency = BT_URGENCY_LOW;
  decision->target_leverage = 1.5;
  decision->ladder_max = 1.0;
}

GArray *
test_ui_load_history (BtDay *first_day)
{
  const char *dir = g_getenv ("BT_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *closes;
  int price_col = -1;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "coinmetrics-btc-2009-2019.csv", NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  {
    g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);

    for (int i = 0; header[i] != NULL; i++)
      if (g_str_equal (g_strstrip (header[i]), "price(USD)"))
        price_col = i;
  }
  if (price_col < 0)
    return NULL;

  closes = g_array_new (FALSE, FALSE, sizeof (double));
  *first_day = BT_DAY_INVALID;
  for (guint l = 1; lines[l] != NULL; l++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[l], ",", -1);
      BtDay day;
      double v = NAN;

      if (g_strv_length (cells) <= (guint) price_col || !bt_day_parse (cells[0], &day))
        continue;
      if (!bt_parse_double (cells[price_col], &v))
        v = NAN;
      if (*first_day == BT_DAY_INVALID)
        {
          if (isnan (v))
            continue;   /* start at the first priced day */
          *first_day = day;
        }
      while ((BtDay) (*first_day + closes->len) < day)
        {
          double gap = NAN;
          g_array_append_val (closes, gap);
        }
      g_array_append_val (closes, v);
    }
  return closes;
}

char *
test_ui_write_history (const char *dir,
                       BtDay       first,
                       guint       n)
{
  g_autoptr(GString) csv = g_string_new ("Date,Open,High,Low,Close,Volume\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "history.csv", NULL);
  double close = 7000;

  for (guint i = 0; i < n; i++)
    {
      char day[16], o[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
      char l[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
      double open = close;

      close = open * (1 + 0.03 * sin (i * 0.37) + 0.002);
      g_string_append_printf (csv, "%s,%s,%s,%s,%s,1000\n", bt_day_format (first + i, day),
                              bt_format_double (round (open * 100) / 100, o),
                              bt_format_double (round (MAX (open, close) * 101) / 100, h),
                              bt_format_double (round (MIN (open, close) * 99) / 100, l),
                              bt_format_double (round (close * 100) / 100, c));
    }
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  return path;
}

const char *const test_ui_market_sources[5] = {
  "binance", "binance-futures", "coinbase", "kraken", "coinmetrics",
};

void
test_ui_set_market_urls (GSettings  *settings,
                         const char *base)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < G_N_ELEMENTS (test_ui_market_sources); i++)
    g_variant_builder_add (&builder, "{ss}", test_ui_market_sources[i], base);
  g_settings_set_value (settings, "base-urls", g_variant_builder_end (&builder));
}

char *
test_ui_refused_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

void
test_ui_import_file (BtSession  *session,
                     const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  bt_session_import_async (session, file, NULL, bt_test_result_cb, &res);
  TEST_UI_WAIT_UNTIL (res != NULL);
  g_assert_nonnull (res);
  g_assert_true (bt_session_import_finish (session, res, &error));
  g_assert_no_error (error);
}

BtSession *
test_ui_attach_session (BtWindow   *window,
                        const char *db_path,
                        GSettings  *settings)
{
  g_autoptr(GError) error = NULL;
  BtSession *session = bt_session_new (db_path, settings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  bt_window_set_session (window, session);
  return session;
}

void
test_ui_session_open (TestUiSession *s,
                      const char    *template_,
                      int            width,
                      int            height)
{
  g_autoptr(GError) error = NULL;

  s->dir = g_dir_make_tmp (template_, &error);
  g_assert_no_error (error);
  s->db_path = g_build_filename (s->dir, "btc-turbo.sqlite", NULL);
  s->settings = g_settings_new (APP_ID);
  s->window = bt_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (s->window), width, height);
  gtk_window_present (GTK_WINDOW (s->window));
  s->session = test_ui_attach_session (s->window, s->db_path, s->settings);
  g_assert_nonnull (s->session);
  test_ui_wait_drawn (GTK_WIDGET (s->window));
}

char *
test_ui_export_report (TestUiSession *s,
                       gsize         *len,
                       char         **path_out)
{
  g_autofree char *pdf = g_build_filename (s->dir, "report.pdf", NULL);
  char *contents = NULL;
  gboolean handled = FALSE;

  g_signal_emit_by_name (s->window, "report-requested", pdf, &handled);
  g_assert_true (handled);
  g_assert_true (g_file_get_contents (pdf, &contents, len, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  if (path_out != NULL)
    *path_out = g_steal_pointer (&pdf);
  return contents;
}

void
test_ui_add_cases (const TestUiCase *cases,
                   guint             n,
                   void            (*set_up) (TestUiSession *s,
                                              gconstpointer  data),
                   void            (*tear_down) (TestUiSession *s,
                                                 gconstpointer  data))
{
  for (guint i = 0; i < n; i++)
    g_test_add (cases[i].path, TestUiSession, NULL, set_up, cases[i].func, tear_down);
}

void
test_ui_session_close (TestUiSession *s)
{
  g_clear_object (&s->session);
  gtk_window_destroy (GTK_WINDOW (s->window));
  test_ui_spin (20);
  g_clear_object (&s->settings);
  bt_test_remove_tree (s->dir);
  g_clear_pointer (&s->db_path, g_free);
  g_clear_pointer (&s->dir, g_free);
}
