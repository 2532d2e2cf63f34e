//go:build ignore

// Command logogen draws the Crossview app icons for the Zendesk app package:
// two overlapping discs, Zendesk green and Salesforce blue, whose overlap is
// the view Crossview gives of both. It is run by hand, and its output is
// committed:
//
//	go run ./server/internal/zafapp/internal/logogen/main.go -out zendesk-app/assets
//
// It writes logo.png (320×320, full bleed on a light ground, since Zendesk
// rounds the corners itself), logo-small.png (128×128, transparent) and
// logo.svg (the same drawing as a vector).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

// The drawing, in units of the image's side.
const (
	leftX   = 0.385
	rightX  = 0.615
	centerY = 0.5
	radius  = 0.255
	samples = 4 // per axis, for anti-aliasing
)

// palette holds the icon's colours; ground is what shows around the discs.
type palette struct {
	left, right, overlap, ground color.NRGBA
}

// crossviewPalette is Zendesk green on the left, Salesforce blue on the
// right, and a light blue where they meet, on the given ground.
func crossviewPalette(ground color.NRGBA) palette {
	return palette{
		left:    color.NRGBA{0x03, 0x36, 0x3D, 0xFF},
		right:   color.NRGBA{0x01, 0x76, 0xD3, 0xFF},
		overlap: color.NRGBA{0x7C, 0xC8, 0xEE, 0xFF},
		ground:  ground,
	}
}

func main() {
	out := flag.String("out", "zendesk-app/assets", "directory to write the icons to")
	flag.Parse()
	if err := run(*out); err != nil {
		log.Fatal(err)
	}
}

func run(dir string) error {
	light := crossviewPalette(color.NRGBA{0xF3, 0xF7, 0xF9, 0xFF})
	if err := writePNG(filepath.Join(dir, "logo.png"), draw(320, light)); err != nil {
		return err
	}
	transparent := crossviewPalette(color.NRGBA{})
	if err := writePNG(filepath.Join(dir, "logo-small.png"), draw(128, transparent)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "logo.svg"), []byte(svg(320, transparent)), 0o644)
}

// draw renders the icon at size×size, averaging samples² points per pixel.
func draw(size int, p palette) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/samples) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/samples) / float64(size)
					c := p.at(x, y)
					// Premultiply so transparent samples do not darken edges.
					fa := float64(c.A) / 255
					r += float64(c.R) * fa
					g += float64(c.G) * fa
					b += float64(c.B) * fa
					a += fa
				}
			}
			n := float64(samples * samples)
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)),
				G: uint8(math.Round(g / a)),
				B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a / n * 255)),
			})
		}
	}
	return img
}

// at returns the colour at (x, y), in units of the image's side.
func (p palette) at(x, y float64) color.NRGBA {
	inLeft := math.Hypot(x-leftX, y-centerY) <= radius
	inRight := math.Hypot(x-rightX, y-centerY) <= radius
	switch {
	case inLeft && inRight:
		return p.overlap
	case inLeft:
		return p.left
	case inRight:
		return p.right
	}
	return p.ground
}

// svg renders the same drawing as a vector, without a ground.
func svg(size float64, p palette) string {
	hex := func(c color.NRGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %[1]g %[1]g" width="%[1]g" height="%[1]g">
  <title>Crossview</title>
  <defs><clipPath id="left"><circle cx="%[2]g" cy="%[4]g" r="%[5]g"/></clipPath></defs>
  <circle cx="%[2]g" cy="%[4]g" r="%[5]g" fill="%[6]s"/>
  <circle cx="%[3]g" cy="%[4]g" r="%[5]g" fill="%[7]s"/>
  <circle cx="%[3]g" cy="%[4]g" r="%[5]g" fill="%[8]s" clip-path="url(#left)"/>
</svg>
`, size, leftX*size, rightX*size, centerY*size, radius*size, hex(p.left), hex(p.right), hex(p.overlap))
}

func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return fmt.Errorf("logogen: encoding %s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("logogen: writing %s: %w", path, err)
	}
	return nil
}
