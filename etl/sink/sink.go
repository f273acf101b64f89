// Package sink writes output files so that they appear whole or not at
// all: everything a run writes goes to temporary files beside their final
// names, and a Batch renames them into place only when the run commits.
package sink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Info describes a committed file.
type Info struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	Rows  int    `json:"rows,omitempty"` // data rows, header excluded
}

// Batch is the set of files one run writes.
type Batch struct {
	files []*File
	dirs  []string // folders this batch created, removed again on Abort
	stale []string // globs of earlier outputs to delete on Commit
	done  bool
}

// File is an output file being written.
type File struct {
	f     *os.File
	final string
	size  int64
	Rows  int
}

// Create starts a file that will appear at path on Commit.
func (b *Batch) Create(path string) (*File, error) {
	if err := b.mkdirAll(filepath.Dir(path)); err != nil {
		return nil, err
	}
	// Temporary files of a run that was killed before it could clean up
	// would otherwise pile up beside the outputs.
	if old, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")); len(old) > 0 {
		for _, o := range old {
			os.Remove(o)
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	// CreateTemp makes 0600 files; outputs are picked up by other users
	// and by the SFTP push, so give them the usual mode.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	out := &File{f: f, final: path}
	b.files = append(b.files, out)
	return out, nil
}

func (f *File) Write(p []byte) (int, error) {
	n, err := f.f.Write(p)
	f.size += int64(n)
	return n, err
}

// Size is the number of bytes written so far.
func (f *File) Size() int64 { return f.size }

// Path is where the file will appear.
func (f *File) Path() string { return f.final }

// Commit syncs every file and renames it into place. Files that fail to
// sync are not renamed; the error names them.
func (b *Batch) Commit() ([]Info, error) {
	if b.done {
		return nil, errors.New("batch already finished")
	}
	b.done = true
	var errs []error
	for _, f := range b.files {
		if err := f.f.Sync(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.final, err))
		}
		if err := f.f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.final, err))
		}
	}
	if len(errs) > 0 {
		b.removeTemps()
		return nil, errors.Join(errs...)
	}
	infos := make([]Info, 0, len(b.files))
	for _, f := range b.files {
		if err := os.Rename(f.f.Name(), f.final); err != nil {
			errs = append(errs, err)
			continue
		}
		infos = append(infos, Info{Path: f.final, Bytes: f.size, Rows: f.Rows})
	}
	if len(errs) == 0 {
		errs = append(errs, b.removeStale())
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Path < infos[j].Path })
	return infos, errors.Join(errs...)
}

// Pending describes the files written so far, before they are committed,
// so a summary written last can list them.
func (b *Batch) Pending() []Info {
	infos := make([]Info, 0, len(b.files))
	for _, f := range b.files {
		infos = append(infos, Info{Path: f.final, Bytes: f.size, Rows: f.Rows})
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Path < infos[j].Path })
	return infos
}

// Abort removes every temporary file; nothing appears.
func (b *Batch) Abort() {
	if b.done {
		return
	}
	b.done = true
	for _, f := range b.files {
		f.f.Close()
	}
	b.removeTemps()
}

func (b *Batch) removeTemps() {
	for _, f := range b.files {
		os.Remove(f.f.Name())
	}
	for i := len(b.dirs) - 1; i >= 0; i-- {
		os.Remove(b.dirs[i]) // only succeeds while empty
	}
}

func (b *Batch) mkdirAll(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := b.mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	b.dirs = append(b.dirs, dir)
	return nil
}

// RemoveStale arranges for files in dir that match pattern (a
// filepath.Match pattern) and that this batch did not write to be deleted
// when the batch commits: the parts of an earlier, larger run must not be
// imported alongside this one's, but a run that fails must leave the
// earlier run's files exactly as they were.
func (b *Batch) RemoveStale(dir, pattern string) error {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return err
	}
	b.stale = append(b.stale, filepath.Join(dir, pattern))
	return nil
}

func (b *Batch) removeStale() error {
	keep := map[string]bool{}
	for _, f := range b.files {
		keep[filepath.Clean(f.final)] = true
	}
	var errs []error
	for _, glob := range b.stale {
		matches, _ := filepath.Glob(glob)
		for _, m := range matches {
			if !keep[filepath.Clean(m)] {
				errs = append(errs, os.Remove(m))
			}
		}
	}
	return errors.Join(errs...)
}
