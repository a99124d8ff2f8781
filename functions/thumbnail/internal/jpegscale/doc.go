// Package jpegscale decodes baseline and progressive JPEG images directly at
// n/8 of their size, n from 1 to 8 ("shrink-on-load", as libjpeg and libvips
// do), so a thumbnailer never builds the full-size image and can decode to
// just above the size it needs: a 3840 px photograph for a 1024 px
// thumbnail at 3/8 (1440 px), not at 1/2 (1920 px).
//
// # How
//
// A JPEG stores each 8×8 block of pixels as 64 DCT coefficients. The top-left
// n×n of them describe the block's content at n×n resolution, so an n-point
// inverse DCT of just those coefficients yields the block already shrunk by
// 8/n: at 1/8 scale a block is its DC coefficient alone. Entropy decoding
// still reads every coefficient (it cannot be skipped in a sequential file),
// but the inverse DCT, colour planes and memory all shrink with the scale.
// Chroma subsampling needs no special case: a 4:2:0 chroma block shrinks by
// the same factor as a luma block and still covers twice the area.
//
// The transform is separable, and each component may have its own scale,
// across and down (DecodeEighthsChroma): a thumbnailer writing 4:2:0 JPEGs
// needs chroma at half its luma's resolution, so the chroma of a 4:4:4
// photograph is decoded at half the luma's scale and that of a 4:2:2 one at
// half down, into Planes.
//
// The reduced IDCTs (scaled.go, scaled567.go) are factored, 2 to 22
// multiplications per 1-D transform, and only transform the rows of a block
// that hold non-zero coefficients; a block whose only coefficient is its DC
// is a flat fill. Smooth photographs, where most blocks are like that, cost
// little more than their entropy decoding.
//
// Progressive files are decoded in many passes over all blocks, so their
// coefficients must be kept between scans. This decoder keeps only the
// coefficients the reduced IDCT reads, as int16, plus one 64-bit mask per
// block recording which coefficients are non-zero (successive-approximation
// refinement needs that for every coefficient): at 1/4 scale 16 bytes per
// block instead of libjpeg's 128. At 1/8 scale progressive AC scans are
// skipped without decoding and only DC coefficients are stored.
//
// Memory is therefore bounded by the reduced image plus, for progressive
// files, 2n²+8 bytes per 8×8 block of the source (0.16 to 0.6 bytes per
// source pixel per component at 1/8 to 1/2 scale).
//
// # Entropy decoding
//
// Huffman codes are read from a 64-bit accumulator, refilled eight bytes
// at a time when no 0xFF is among them: a 1024-entry table decodes a whole
// AC coefficient (code and magnitude) at once for most coefficients, another
// one any code of up to 10 bits, and longer codes are found from a 16-bit
// peek rather than bit by bit.
//
// At scale 1 the output is identical to image/jpeg's. Like image/jpeg, the
// package decodes 1, 3 and 4 component images with 8-bit precision and
// Huffman coding; arithmetic coding, 12-bit and lossless JPEGs give an
// UnsupportedError.
//
// # Provenance
//
// The decoder is derived from Go's image/jpeg (reader.go, split into
// reader.go, bytes.go, markers.go, color.go and decode.go; huffman.go;
// scan.go, split into scan.go, sos.go, progressive.go and blocks.go; the
// full-size IDCT is package dct's), Copyright The Go Authors, under the BSD
// license in the LICENSE file of this directory; each derived file keeps its
// header and says what changed.
// scaled.go, scaled567.go and planes.go are new.
// Unlike image/jpeg, restart intervals in non-interleaved progressive scans
// are counted in blocks, as the standard says, so progressive files with
// restart markers decode.
//
// Decode does not guard against huge images: check the dimensions from
// DecodeConfig against a pixel limit first, as package thumbnail does.
package jpegscale
