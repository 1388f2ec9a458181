/*
 * module/ar.h - ports, private parts and capabilities as text, and back
 * (Amoeba 5.3's module/ar.h).  A port is six hex bytes "A1:B2:0:..."; a
 * private part "object(rights)/check-port"; a capability "port/private".
 * ar_cap, ar_port and ar_priv return a static buffer, overwritten by the
 * next call; ar_tocap, ar_toport and ar_topriv parse a string and return
 * the first character after what they read, or NULL if it is malformed.
 */
#ifndef MODULE_AR_H
#define MODULE_AR_H

#include <amoeba.h>

char *ar_cap(capability *cap);
char *ar_port(port *p);
char *ar_priv(private *priv);
char *ar_tocap(char *s, capability *cap);
char *ar_toport(char *s, port *p);
char *ar_topriv(char *s, private *priv);

#endif /* MODULE_AR_H */
