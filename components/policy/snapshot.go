package policy

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// LoadSnapshot reads a recorded stack from a JSON file: an array of
// recording.Resource, or an object holding that array under "resources".
func LoadSnapshot(path string) ([]recording.Resource, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot: %w", err)
	}
	var resources []recording.Resource
	if err := json.Unmarshal(b, &resources); err == nil {
		return resources, nil
	}
	var wrapped struct {
		Resources *[]recording.Resource `json:"resources"`
	}
	if err := json.Unmarshal(b, &wrapped); err != nil || wrapped.Resources == nil {
		return nil, fmt.Errorf("reading snapshot %s: want a JSON array of resources or {\"resources\": [...]}", path)
	}
	return *wrapped.Resources, nil
}
