package stacktest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
)

// secretMarker replaces every secret value in a recording, so that snapshots
// can be committed and reviewed without leaking what a stack keeps secret.
const secretMarker = "[secret]"

// plainMap turns Pulumi property values into plain JSON values (see Resource).
func plainMap(m resource.PropertyMap) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		// Pulumi's internal bookkeeping keys are not user inputs.
		if len(k) > 2 && k[:2] == "__" {
			continue
		}
		pv, err := plain(v)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", k, err)
		}
		out[string(k)] = pv
	}
	return out, nil
}

func plain(v resource.PropertyValue) (any, error) {
	switch {
	case v.IsNull():
		return nil, nil
	case v.IsSecret():
		return secretMarker, nil
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return secretMarker, nil
		}
		if !o.Known {
			return "[unknown]", nil
		}
		return plain(o.Element)
	case v.IsComputed():
		return "[unknown]", nil
	case v.IsBool():
		return v.BoolValue(), nil
	case v.IsNumber():
		return v.NumberValue(), nil
	case v.IsString():
		return v.StringValue(), nil
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			pe, err := plain(e)
			if err != nil {
				return nil, err
			}
			out[i] = pe
		}
		return out, nil
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsAsset():
		sum, err := assetHash(v.AssetValue())
		if err != nil {
			return nil, err
		}
		return map[string]any{"sha256": sum}, nil
	case v.IsArchive():
		sum, err := archiveHash(v.ArchiveValue())
		if err != nil {
			return nil, err
		}
		return map[string]any{"sha256": sum}, nil
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN), nil
	}
	return nil, fmt.Errorf("unsupported property value %s", v.TypeString())
}

// assetHash hashes an asset's content, not its path, so that a snapshot
// changes exactly when what would be uploaded changes.
func assetHash(a *asset.Asset) (string, error) {
	switch {
	case a.IsText():
		return sha256Hex([]byte(a.Text)), nil
	case a.IsPath():
		b, err := os.ReadFile(a.Path)
		if err != nil {
			return "", fmt.Errorf("hashing asset: %w", err)
		}
		return sha256Hex(b), nil
	}
	return "", fmt.Errorf("asset %q: only text and file assets are supported offline", a.URI)
}

func archiveHash(a *archive.Archive) (string, error) {
	switch {
	case a.IsPath():
		b, err := os.ReadFile(a.Path)
		if err != nil {
			return "", fmt.Errorf("hashing archive: %w", err)
		}
		return sha256Hex(b), nil
	case a.IsAssets():
		names := make([]string, 0, len(a.Assets))
		for n := range a.Assets {
			names = append(names, n)
		}
		sort.Strings(names)
		h := sha256.New()
		for _, n := range names {
			var sum string
			var err error
			switch e := a.Assets[n].(type) {
			case *asset.Asset:
				sum, err = assetHash(e)
			case *archive.Archive:
				sum, err = archiveHash(e)
			default:
				err = fmt.Errorf("archive member %q has type %T", n, e)
			}
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "%s\x00%s\n", n, sum)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	return "", fmt.Errorf("archive %q: only file and asset archives are supported offline", a.URI)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
