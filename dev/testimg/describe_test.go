package testimg_test

import (
	"image"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/testimg"
)

func TestDescribe(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 40, 30))
	tests := []struct {
		name   string
		data   []byte
		want   string
		w, h   int
		shrink int // for a 16 px thumbnail
	}{
		{"jpeg", testimg.JPEG(t, testimg.Gradient(400, 300), 90), "baseline 4:2:0", 400, 300, 8},
		{"rotated jpeg", testimg.WithOrientation(testimg.JPEG(t, testimg.Gradient(64, 48), 90), 6), "baseline 4:2:0", 64, 48, 4},
		{"gray jpeg", testimg.JPEG(t, gray, 90), "baseline gray", 40, 30, 2},
		{"png", testimg.PNG(t, testimg.Gradient(20, 10)), "PNG RGB 8-bit", 20, 10, 1},
		{"png 16", testimg.PNG16(t, 20, 10), "PNG RGBA 16-bit", 20, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testimg.Describe(tt.data)
			if got := c.Mode + map[bool]string{true: " " + c.Sampling}[c.Sampling != ""]; got != tt.want {
				t.Errorf("class %q, want %q", got, tt.want)
			}
			if c.Width != tt.w || c.Height != tt.h {
				t.Errorf("size %dx%d, want %dx%d", c.Width, c.Height, tt.w, tt.h)
			}
			if got := c.ShrinkOnLoad(16); got != tt.shrink {
				t.Errorf("shrink-on-load for 16 px: 1/%d, want 1/%d", got, tt.shrink)
			}
		})
	}
	if o := testimg.Describe(tests[1].data).Orientation; o != 6 {
		t.Errorf("orientation %d, want 6", o)
	}
}
