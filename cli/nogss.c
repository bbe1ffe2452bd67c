/*
 * nogss.c - "GSSAPI unavailable": the GSSAPI calls libgit2.a makes,
 * answered without Kerberos.  Linked into the posdiff program only when
 * it links libgit2 statically (cli/meson.build, -Dstatic_deps), in place
 * of libgssapi_krb5.so.2.
 *
 * Why.  libgit2.a's HTTP transport can authenticate with SPNEGO
 * ("Negotiate"), so it references eight gss_* functions and one OID.
 * Debian ships that library only as a runtime .so.2, which drags in six
 * more (libkrb5, libk5crypto, libcom_err, libkrb5support, libkeyutils,
 * libresolv): every posdiff process mapped and relocated seven shared
 * libraries it never used, 0.6 ms of a 3.5 ms `posdiff diff` on the
 * benchmark machine.  posdiff never talks to a remote (it reads and
 * writes local repositories only), so no GSSAPI call is ever made; were
 * one made, it fails as GSSAPI does when no mechanism is available:
 * libgit2's negotiate_init_context reports "could not query mechanisms"
 * and the request gets no Negotiate authentication.
 *
 * The declarations follow RFC 2744 / MIT's gssapi.h (not installed with
 * the runtime library, hence written out here): every function returns
 * a major status and sets the minor status; release functions succeed.
 */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t OM_uint32;
typedef struct {
    size_t length;
    void *value;
} gss_buffer_desc;
typedef struct {
    OM_uint32 length;
    void *elements;
} gss_OID_desc;

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mech_set);
OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_desc *name,
                          gss_OID_desc *type, void **out);
OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx,
                               void *target, gss_OID_desc *mech,
                               OM_uint32 req_flags, OM_uint32 time_req,
                               void *bindings, gss_buffer_desc *in,
                               gss_OID_desc **actual_mech, gss_buffer_desc *out,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec);
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type,
                             gss_OID_desc *mech, OM_uint32 *msg_ctx,
                             gss_buffer_desc *out);
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, gss_buffer_desc *out);
OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_desc *buf);
OM_uint32 gss_release_name(OM_uint32 *minor, void **name);
OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set);

#define GSS_S_COMPLETE 0u
#define GSS_S_UNAVAILABLE (16u << 16) /* a routine error: GSS_ERROR() is true */

/* The name type libgit2 passes to gss_import_name (only by value). */
static gss_OID_desc hostbased_service = {10, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04"};
gss_OID_desc *GSS_C_NT_HOSTBASED_SERVICE = &hostbased_service;

static OM_uint32 unavailable(OM_uint32 *minor)
{
    if (minor)
        *minor = 0;
    return GSS_S_UNAVAILABLE;
}

static OM_uint32 complete(OM_uint32 *minor)
{
    if (minor)
        *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mech_set)
{
    if (mech_set)
        *mech_set = NULL;
    return unavailable(minor);
}

OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_desc *name,
                          gss_OID_desc *type, void **out)
{
    if (out)
        *out = NULL;
    return unavailable(minor);
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx,
                               void *target, gss_OID_desc *mech,
                               OM_uint32 req_flags, OM_uint32 time_req,
                               void *bindings, gss_buffer_desc *in,
                               gss_OID_desc **actual_mech, gss_buffer_desc *out,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    if (out)
        *out = (gss_buffer_desc){0, NULL};
    return unavailable(minor);
}

/* No message: libgit2 then says "unknown negotiate error". */
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type,
                             gss_OID_desc *mech, OM_uint32 *msg_ctx,
                             gss_buffer_desc *out)
{
    if (out)
        *out = (gss_buffer_desc){0, NULL};
    return unavailable(minor);
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, gss_buffer_desc *out)
{
    if (ctx)
        *ctx = NULL;
    return complete(minor);
}

OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_desc *buf)
{
    if (buf)
        *buf = (gss_buffer_desc){0, NULL};
    return complete(minor);
}

OM_uint32 gss_release_name(OM_uint32 *minor, void **name)
{
    if (name)
        *name = NULL;
    return complete(minor);
}

OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set)
{
    if (set)
        *set = NULL;
    return complete(minor);
}
