// Package pngstream decodes a PNG image one row at a time, as premultiplied
// 8-bit RGBA, so that a thumbnailer can resample rows as they are decoded
// and never hold the full-size image: image/png decodes all of it first, as
// 8 bytes per pixel for 16-bit files, which for a 5 MP 16-bit photograph is
// 40 MB before any work is done.
//
// Every colour type and bit depth is converted to the same layout: grey and
// palette pixels expanded, 16-bit samples rounded to 8 bits, tRNS
// transparency applied and colours premultiplied by alpha (the form in which
// averaging pixels is correct). Reader.Opaque reports, at the end, whether
// any pixel was less than fully opaque, at the file's own precision.
//
// Interlaced (Adam7) files store the image in seven passes, so no row is
// complete before the last pass: NewReader reports them with
// ErrInterlaced, for the caller to decode them whole.
//
// # Provenance
//
// The package is derived from Go's image/png (reader.go, split into
// reader.go, header.go and rows.go: chunk parsing, IDAT stream and row
// filters; paeth.go), Copyright The Go Authors, under the BSD license in the
// LICENSE file of this directory. Checks and errors are image/png's, so the
// same files are accepted. convert.go is new.
package pngstream
