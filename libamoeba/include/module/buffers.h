/*
 * module/buffers.h - marshalling into byte buffers (spec 1.5).
 *
 * Integers are little-endian; ports, privates and capabilities are raw
 * bytes; strings carry their NUL.  Every routine takes the cursor p and
 * the end of the buffer, and returns the advanced cursor, or NULL when
 * the value does not fit (or p is already NULL), so a caller checks once
 * at the end of a sequence.
 */
#ifndef MODULE_BUFFERS_H
#define MODULE_BUFFERS_H

#include <amoeba.h>

char *buf_put_int16(char *p, char *end, int16 v);
char *buf_put_uint16(char *p, char *end, uint16 v);
char *buf_put_int32(char *p, char *end, int32 v);
char *buf_put_uint32(char *p, char *end, uint32 v);
char *buf_put_objnum(char *p, char *end, objnum v);
char *buf_put_right_bits(char *p, char *end, rights_bits v);
char *buf_put_port(char *p, char *end, const port *v);
char *buf_put_priv(char *p, char *end, const private *v);
char *buf_put_cap(char *p, char *end, const capability *v);
char *buf_put_string(char *p, char *end, const char *s);

char *buf_get_int16(char *p, char *end, int16 *v);
char *buf_get_uint16(char *p, char *end, uint16 *v);
char *buf_get_int32(char *p, char *end, int32 *v);
char *buf_get_uint32(char *p, char *end, uint32 *v);
char *buf_get_objnum(char *p, char *end, objnum *v);
char *buf_get_right_bits(char *p, char *end, rights_bits *v);
char *buf_get_port(char *p, char *end, port *v);
char *buf_get_priv(char *p, char *end, private *v);
char *buf_get_cap(char *p, char *end, capability *v);
/* *s points into the buffer; the string ends with the NUL found there. */
char *buf_get_string(char *p, char *end, char **s);

#endif /* MODULE_BUFFERS_H */
