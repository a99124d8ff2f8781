// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file holds the SOS segment parsing of Go's image/jpeg/scan.go
// (the first half of processSOS), split into functions that fill a
// scanHeader; the checks are image/jpeg's.

package jpegscale

import "github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"

// scanHeader is a parsed SOS segment (section B.2.3).
type scanHeader struct {
	nComp int
	comp  [maxComponents]struct {
		compIndex uint8
		td        uint8 // DC table selector.
		ta        uint8 // AC table selector.
	}
	// zigStart and zigEnd are the spectral selection bounds.
	// ah and al are the successive approximation high and low values.
	// The spec calls these values Ss, Se, Ah and Al. For sequential JPEGs,
	// these parameters are hard-coded to 0/63/0/0, as per table B.3.
	zigStart, zigEnd int32
	ah, al           uint32
}

// readSOS reads and checks an SOS segment of n bytes.
func (d *decoder) readSOS(n int) (s scanHeader, err error) {
	if d.nComp == 0 {
		return s, FormatError("missing SOF marker")
	}
	if n < 6 || 4+2*d.nComp < n || n%2 != 0 {
		return s, FormatError("SOS has wrong length")
	}
	if err := d.readFull(d.tmp[:n]); err != nil {
		return s, err
	}
	s.nComp = int(d.tmp[0])
	if n != 4+2*s.nComp {
		return s, FormatError("SOS length inconsistent with number of components")
	}
	totalHV := 0
	for i := 0; i < s.nComp; i++ {
		hv, err := d.readScanComponent(&s, i)
		if err != nil {
			return s, err
		}
		totalHV += hv
	}
	// Section B.2.3 states that if there is more than one component then the
	// total H*V values in a scan must be <= 10.
	if d.nComp > 1 && totalHV > 10 {
		return s, FormatError("total sampling factors too large")
	}
	s.zigStart, s.zigEnd = 0, dct.BlockSize-1
	if d.progressive {
		return s, d.readSpectralSelection(&s)
	}
	return s, nil
}

// readScanComponent reads the i-th component selector of an SOS segment
// from d.tmp and returns its H*V.
func (d *decoder) readScanComponent(s *scanHeader, i int) (int, error) {
	cs := d.tmp[1+2*i] // Component selector.
	compIndex := -1
	for j, comp := range d.comp[:d.nComp] {
		if cs == comp.c {
			compIndex = j
		}
	}
	if compIndex < 0 {
		return 0, FormatError("unknown component selector")
	}
	s.comp[i].compIndex = uint8(compIndex)
	// Section B.2.3 states that "the value of Cs_j shall be different from
	// the values of Cs_1 through Cs_(j-1)". Since we have previously
	// verified that a frame's component identifiers (C_i values in section
	// B.2.2) are unique, it suffices to check that the implicit indexes
	// into d.comp are unique.
	for j := 0; j < i; j++ {
		if s.comp[i].compIndex == s.comp[j].compIndex {
			return 0, FormatError("repeated component selector")
		}
	}
	// The baseline t <= 1 restriction is specified in table B.3.
	s.comp[i].td = d.tmp[2+2*i] >> 4
	if t := s.comp[i].td; t > maxTh || (d.baseline && t > 1) {
		return 0, FormatError("bad Td value")
	}
	s.comp[i].ta = d.tmp[2+2*i] & 0x0f
	if t := s.comp[i].ta; t > maxTh || (d.baseline && t > 1) {
		return 0, FormatError("bad Ta value")
	}
	return d.comp[compIndex].h * d.comp[compIndex].v, nil
}

// readSpectralSelection reads and checks a progressive scan's Ss, Se, Ah
// and Al from d.tmp.
func (d *decoder) readSpectralSelection(s *scanHeader) error {
	n := s.nComp
	s.zigStart = int32(d.tmp[1+2*n])
	s.zigEnd = int32(d.tmp[2+2*n])
	s.ah = uint32(d.tmp[3+2*n] >> 4)
	s.al = uint32(d.tmp[3+2*n] & 0x0f)
	if (s.zigStart == 0 && s.zigEnd != 0) || s.zigStart > s.zigEnd || dct.BlockSize <= s.zigEnd {
		return FormatError("bad spectral selection bounds")
	}
	if s.zigStart != 0 && n != 1 {
		return FormatError("progressive AC coefficients for more than one component")
	}
	if s.ah != 0 && s.ah != s.al+1 {
		return FormatError("bad successive approximation values")
	}
	if s.al > 13 {
		// Coefficients of 8-bit data fit in 11 bits plus sign; larger
		// shifts only come from corrupt input.
		return FormatError("bad successive approximation values")
	}
	return nil
}
