// Package jpegenc writes baseline JPEG images from 8-bit planes: greyscale,
// or YCbCr with 4:4:4 or 4:2:0 chroma, always written as 4:2:0 like image/jpeg.
//
// A thumbnailer already holds its pictures as Y, Cb and Cr planes (that is how
// a JPEG decodes), so handing them to image/jpeg would waste most of the
// encoder's time: it reads every pixel through an interface, converts colour
// per pixel and divides every coefficient by its quantizer. This package writes
// exactly the bytes image/jpeg writes for the same planes (the tests check
// it), several times faster:
//
//   - blocks are copied from the planes row by row, with edge pixels
//     repeated only at the right and bottom borders;
//   - quantization multiplies by a precomputed reciprocal that gives the same
//     rounded quotient as image/jpeg's division for every coefficient the
//     forward DCT can produce;
//   - a 64-bit mask of the non-zero quantized coefficients drives the
//     run-length coding, so zero runs cost nothing;
//   - Huffman codes and magnitude bits are emitted together into a 64-bit
//     accumulator that is flushed 32 bits at a time, with byte stuffing only
//     when a 0xFF byte is present.
//
// Provenance: the encoder is derived from Go's image/jpeg (writer.go; the
// forward DCT is package dct's), Copyright The Go Authors, under the BSD
// license in the LICENSE file of this directory.
package jpegenc
