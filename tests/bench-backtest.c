/* placeholder: replaced by the area's benchmark */
int main (void) { return 0; }
