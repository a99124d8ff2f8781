package settings

// SweepRetiredSizes is the one sweep there is: delete what the function's
// sizes no longer make.
const SweepRetiredSizes = "retired-sizes"

// SweepRequest asks the function to delete what its configuration no
// longer makes: {"sizes":"1024,512,128","sweep":"retired-sizes"}. The
// deployment sends it on every change of the sizes; Sizes, when given,
// must be the function's EnvSizes, so that a request meant for another
// configuration deletes nothing. (The fields are in the order in which
// they marshal as deployed stacks recorded them.)
type SweepRequest struct {
	Sizes string `json:"sizes"`
	Sweep string `json:"sweep"`
}

// RetiredSizesSweep is the sweep request for a function making sizes.
func RetiredSizesSweep(sizes []int) SweepRequest {
	return SweepRequest{Sweep: SweepRetiredSizes, Sizes: JoinSizes(sizes)}
}
