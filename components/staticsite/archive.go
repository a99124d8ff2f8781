package staticsite

import (
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// files lists the content of ContentDir or Content, whichever is set.
func (a *Args) files() ([]File, error) {
	switch {
	case a.ContentDir != "" && a.Content != nil:
		return nil, errors.New("set ContentDir or Content, not both")
	case a.ContentDir != "":
		return Files(a.ContentDir, a.HTMLMaxAgeSeconds)
	case a.Content != nil:
		return ArchiveFiles(a.Content, a.HTMLMaxAgeSeconds)
	}
	return nil, errors.New("ContentDir or Content is required")
}

// contentName names the content in messages.
func (a *Args) contentName() string {
	if a.ContentDir != "" {
		return a.ContentDir
	}
	return "the content archive"
}

// ArchiveFiles lists the files of an archive as they would be uploaded,
// sorted by key: every file of a FileArchive of a directory (as Files lists
// it), or every asset of an AssetArchive under its key, with nested
// archives' files under theirs. Assets are uploaded as given, so a string
// asset becomes a file with that text. Remote assets and archives, and
// file archives of a zip or tar file, are refused: the site's content must
// be on the deploying machine.
func ArchiveFiles(a pulumi.Archive, htmlMaxAgeSeconds int) ([]File, error) {
	files, err := archiveFiles("", a, htmlMaxAgeSeconds)
	if err != nil {
		return nil, fmt.Errorf("reading site content archive: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("site content archive has no files")
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Key < files[j].Key })
	for i := 1; i < len(files); i++ {
		if files[i].Key == files[i-1].Key {
			return nil, fmt.Errorf("site content archive holds %s twice", files[i].Key)
		}
	}
	return files, nil
}

// archiveFiles lists a's files with keys under prefix.
func archiveFiles(prefix string, a pulumi.Archive, htmlMaxAgeSeconds int) ([]File, error) {
	switch {
	case a.Path() != "":
		if info, err := os.Stat(a.Path()); err != nil {
			return nil, err
		} else if !info.IsDir() {
			return nil, fmt.Errorf("%s is a file: give a FileArchive of a directory, or an AssetArchive", a.Path())
		}
		dirFiles, err := Files(a.Path(), htmlMaxAgeSeconds)
		for i := range dirFiles {
			dirFiles[i] = newFile(path.Join(prefix, dirFiles[i].Key), dirFiles[i].Path, htmlMaxAgeSeconds)
		}
		return dirFiles, err
	case a.Assets() != nil:
		return assetFiles(prefix, a.Assets(), htmlMaxAgeSeconds)
	}
	return nil, fmt.Errorf("remote archive %s: the content must be on this machine", a.URI())
}

// assetFiles lists the members of an AssetArchive under prefix.
func assetFiles(prefix string, assets map[string]any, htmlMaxAgeSeconds int) ([]File, error) {
	var files []File
	for name, member := range assets {
		key := path.Join(prefix, name)
		if name == "" || name == "." || path.Clean(name) != name || strings.HasPrefix(name, "/") || name == ".." || strings.HasPrefix(name, "../") {
			return nil, fmt.Errorf("member %q: want a relative key such as assets/app.js", name)
		}
		switch m := member.(type) {
		case pulumi.Archive:
			nested, err := archiveFiles(key, m, htmlMaxAgeSeconds)
			if err != nil {
				return nil, fmt.Errorf("member %s: %w", key, err)
			}
			files = append(files, nested...)
		case pulumi.Asset:
			if m.URI() != "" {
				return nil, fmt.Errorf("member %s is the remote asset %s: the content must be on this machine", key, m.URI())
			}
			f := newFile(key, m.Path(), htmlMaxAgeSeconds)
			f.Source = m
			files = append(files, f)
		default:
			return nil, fmt.Errorf("member %s is a %T, not an asset or archive", key, member)
		}
	}
	return files, nil
}
