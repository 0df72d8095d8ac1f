#define G_LOG_DOMAIN "bt-core"

/* placeholder: implemented by its area */
typedef int bt_placeholder_backtest_store;
