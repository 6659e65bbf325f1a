"""storydiff.web"""
