/*
 * report.h - the published report (posdiff report): a static site of
 * the position histories (cmd_report.c writes it, render_html.c holds
 * its HTML pieces, report_style.c its stylesheet).
 */
#ifndef POSDIFF_REPORT_H
#define POSDIFF_REPORT_H

extern const char report_style_css[];

#endif
